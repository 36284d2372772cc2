// Check-in without reloading the page: the "Present" / "Absent" forms of the session dashboard
// are sent with fetch and the row is updated in place. Without this script (or if it fails),
// the forms are submitted as usual and the page comes back with a message.
(function () {
  "use strict";
  var live = document.querySelector("[data-attendance-live]");
  var summary = document.querySelector("[data-present-count]");

  function update(form, data) {
    var row = form.closest("[data-attendance-row]");
    row.querySelector("[data-attendance-state]").textContent = data.state;
    form.querySelectorAll("button[name='attended']").forEach(function (button) {
      var current = (button.value === "yes") === data.attended;
      button.classList.toggle("is-current", current);
    });
    var link = row.querySelector("[data-attestation-link]");
    if (link) { link.hidden = !data.attended; }
    if (summary) { summary.textContent = data.summary; }
  }

  document.querySelectorAll("[data-attendance-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (form.dataset.plain || !window.fetch || !button) { return; }
      event.preventDefault();
      var body = new FormData(form);
      body.append(button.name, button.value);
      form.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!json) { throw new Error("not json"); }
          return response.json();
        })
        .then(function (data) {
          if (data.error) {
            live.textContent = data.error;
            live.className = "attendance-live message message--error";
          } else {
            update(form, data);
            live.textContent = data.message;
            live.className = "attendance-live message message--success";
          }
        })
        .catch(function () {
          // Anything unexpected: let the browser send the form itself.
          form.dataset.plain = "1";
          form.requestSubmit(button);
        })
        .finally(function () { form.removeAttribute("aria-busy"); });
    });
  });
})();
