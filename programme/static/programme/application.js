// Progressive enhancement of the application form: the four rules are checked again as the
// manager changes the café, the commune or the declarations, without reloading the page.
// Without JavaScript the "Check the rules" button does the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  var panel = document.getElementById("eligibility");
  if (!form || !panel || !window.fetch) return;
  var url = form.getAttribute("data-eligibility-url");
  var pending = null;

  function refresh() {
    var params = new URLSearchParams();
    ["cafe", "commune", "declares_last_cafe", "declares_dedicated_space"].forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      if (field.type === "checkbox") {
        if (field.checked) params.set(name, "on");
      } else {
        params.set(name, field.value);
      }
    });
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url + "?" + params.toString(), {
      headers: { "X-Requested-With": "fetch" },
      signal: pending.signal,
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#eligibility");
        if (fresh) panel.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the server-rendered panel stays */ });
  }

  var timer = null;
  form.addEventListener("change", function (event) {
    if (["cafe", "commune", "declares_last_cafe", "declares_dedicated_space"].indexOf(event.target.name) !== -1) {
      refresh();
    }
  });
  form.elements.commune && form.elements.commune.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
