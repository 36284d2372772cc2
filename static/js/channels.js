// The live channel page, over the WebSocket protocol of network/PROTOCOL.md.
//
// The page works without this script: the server renders the history, the form posts and
// reloads, a link refreshes. With it, new messages appear as they are sent, one's own message
// shows "sending…" then "sent", the socket reconnects with a backoff and catches up from the
// last message number it has, and gaps in the numbers are filled by subscribing again. When the
// socket cannot connect, the page asks the server for new messages every 15 seconds instead.
//
// Message text is only ever put in the page as text nodes (links are built as elements): what
// members write is never parsed as HTML.
(function () {
  "use strict";

  var root = document.querySelector("[data-chat]");
  var stringsNode = document.getElementById("chat-strings");
  if (!root || !stringsNode) { return; }

  var S = JSON.parse(stringsNode.textContent);
  var channelId = Number(root.dataset.channel);
  var me = Number(root.dataset.member);
  var canHide = root.dataset.canHide === "1";
  var list = root.querySelector("[data-chat-messages]");
  var statusNode = root.querySelector("[data-chat-status]");
  var typingNode = root.querySelector("[data-chat-typing]");
  var form = root.querySelector("[data-chat-form]");
  var textarea = form ? form.querySelector("textarea") : null;
  var formError = form ? form.querySelector("[data-chat-error]") : null;
  var archived = false;

  var MIN_DELAY = 1000;
  var MAX_DELAY = 30000;
  var POLL_EVERY = 15000;
  var FAILURES_BEFORE_POLLING = 3;
  var PING_EVERY = 25000;
  var PONG_WITHIN = 10000;
  var LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
  var TRAILING = /[.,;:!?'")\]}»]+$/;

  var lastSeq = Number(root.dataset.lastSeq) || 0; // every message up to this one is shown
  var readSent = lastSeq; // the server marked the page read when it rendered it
  // The server's moment of the last look at the channel: edits, deletions and moderation
  // after it are asked for when subscribing again or polling.
  var changesAt = root.dataset.changesAt || null;
  var ahead = new Map(); // seq -> message received after a gap, shown once the gap is filled
  var pending = new Map(); // client_id -> {body, node, seq}: own messages not yet confirmed
  var socket = null;
  var subscribed = false;
  var resyncing = false;
  var failures = 0; // connections in a row that never got subscribed
  var everConnected = false;
  var lostSaid = false;
  var stopped = false;
  var reconnectTimer = null;
  var pollTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var readTimer = null;
  var typingTimer = null;
  var typingSentAt = 0;
  var dateFormat = null;
  var timeFormat = null;
  try {
    // As the server writes them: "3 novembre 2026 09:12".
    dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "long",
    });
    timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      timeStyle: "short",
    });
  } catch (error) { dateFormat = null; }

  // --- Showing messages -------------------------------------------------------------------

  // The state of the live connection, for styles (and tests): connecting, live, lost, polling,
  // stopped.
  function setConnection(state) {
    root.dataset.connection = state;
  }

  function say(text) {
    if (statusNode) { statusNode.textContent = text || ""; }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function appendLinkified(parent, text) {
    var last = 0;
    text.replace(LINK, function (match, offset) {
      var url = match.replace(TRAILING, "");
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = element("a", null, url);
      link.href = /^www\./i.test(url) ? "http://" + url : url;
      link.rel = "nofollow";
      parent.appendChild(link);
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function urlFor(template, id) {
    return template.replace(/\/0\/([^/]*\/)?$/, "/" + id + "/$1");
  }

  function actionLink(template, id, label, hiddenLabel) {
    var item = element("li");
    var link = element("a", null, label);
    link.href = urlFor(template, id);
    link.appendChild(element("span", "visually-hidden", " " + hiddenLabel));
    item.appendChild(link);
    return item;
  }

  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso; }
    return dateFormat ? dateFormat.format(date) + " " + timeFormat.format(date) : date.toLocaleString();
  }

  function buildMessage(message, state) {
    var mine = message.author && message.author.id === me;
    var visible = !message.deleted && !message.hidden;
    var item = element("li", "chat-message" + (mine ? " chat-message--mine" : ""));
    item.id = "message-" + message.seq;
    item.dataset.seq = message.seq;
    item.dataset.id = message.id;

    var meta = element("p", "chat-message__meta");
    meta.appendChild(element(
      "span", "chat-message__author", message.author ? message.author.name : S.formerMember
    ));
    meta.appendChild(document.createTextNode(" "));
    var time = element("time", null, formatDate(message.created_at));
    time.dateTime = message.created_at;
    meta.appendChild(time);
    if (message.edited && visible) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "chat-message__edited", S.edited));
    }
    if (state) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "chat-message__state", state));
    }
    item.appendChild(meta);

    var body;
    if (message.deleted) {
      body = element("p", "chat-message__body chat-message__body--gone", S.deleted);
    } else if (message.hidden) {
      body = element("p", "chat-message__body chat-message__body--gone", S.hidden);
    } else {
      body = element("p", "chat-message__body");
      appendLinkified(body, message.body);
    }
    item.appendChild(body);

    if (visible) {
      var actions = element("ul", "chat-message__actions");
      if (mine && !archived) {
        actions.appendChild(actionLink(root.dataset.editUrl, message.id, S.edit, S.myMessage));
        actions.appendChild(actionLink(root.dataset.deleteUrl, message.id, S["delete"], S.myMessage));
      }
      if (!mine && message.author) {
        actions.appendChild(actionLink(root.dataset.reportUrl, message.id, S.report, S.thisMessage));
      }
      if (canHide) {
        actions.appendChild(actionLink(root.dataset.hideUrl, message.id, S.hide, S.thisMessage));
      }
      if (actions.childNodes.length) { item.appendChild(actions); }
    }
    return item;
  }

  function firstPendingNode() {
    return list.querySelector(".chat-message--pending");
  }

  function show(message) {
    var state = null;
    var waiting = message.client_id && message.author && message.author.id === me
      ? pending.get(message.client_id) : null;
    if (waiting) {
      waiting.node.remove();
      pending.delete(message.client_id);
      state = S.sent;
    }
    list.insertBefore(buildMessage(message, state), firstPendingNode());
    var empty = root.querySelector("[data-chat-empty]");
    if (empty) { empty.remove(); }
  }

  // Messages are shown in the order of their numbers, each once; one that comes after a gap
  // waits until the missing ones are caught up.
  function receive(message) {
    if (message.channel !== channelId || message.seq <= lastSeq) { return; }
    if (message.seq > lastSeq + 1) {
      ahead.set(message.seq, message);
      resync();
      return;
    }
    show(message);
    lastSeq = message.seq;
    while (ahead.has(lastSeq + 1)) {
      var next = ahead.get(lastSeq + 1);
      ahead.delete(lastSeq + 1);
      show(next);
      lastSeq = next.seq;
    }
    ahead.forEach(function (_message, seq) { if (seq <= lastSeq) { ahead.delete(seq); } });
    markReadSoon();
  }

  function update(message) {
    if (message.channel !== channelId) { return; }
    var node = document.getElementById("message-" + message.seq);
    if (node && node.dataset.seq) { node.replaceWith(buildMessage(message, null)); }
  }

  // --- Own messages ------------------------------------------------------------------------

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function pendingNode(body) {
    var item = element("li", "chat-message chat-message--mine chat-message--pending");
    var meta = element("p", "chat-message__meta");
    meta.appendChild(element("span", "chat-message__state", S.pending));
    item.appendChild(meta);
    var text = element("p", "chat-message__body");
    appendLinkified(text, body);
    item.appendChild(text);
    return item;
  }

  function setState(node, text) {
    var state = node.querySelector(".chat-message__state");
    if (!state) {
      state = element("span", "chat-message__state");
      node.querySelector(".chat-message__meta").appendChild(state);
    }
    state.textContent = text;
  }

  function sendPost(clientId) {
    var entry = pending.get(clientId);
    if (entry && subscribed) {
      send({ action: "post", channel: channelId, body: entry.body, client_id: clientId, ref: clientId });
    }
  }

  function posted(frame) {
    var entry = pending.get(frame.client_id);
    if (!entry) { return; }
    entry.seq = frame.seq;
    setState(entry.node, S.sent);
    if (frame.seq <= lastSeq) {
      // Already shown (caught up before this answer): the waiting copy goes.
      entry.node.remove();
      pending.delete(frame.client_id);
      var shown = document.getElementById("message-" + frame.seq);
      if (shown) { setState(shown, S.sent); }
    }
  }

  function failed(clientId, text) {
    var entry = pending.get(clientId);
    if (!entry) { return false; }
    entry.node.remove();
    pending.delete(clientId);
    if (textarea && !textarea.value.trim()) { textarea.value = entry.body; }
    showFormError(text);
    return true;
  }

  function showFormError(text) {
    if (!formError) { say(text); return; }
    formError.textContent = text;
    formError.hidden = !text;
  }

  function submit(event) {
    event.preventDefault();
    var body = textarea.value.trim();
    if (!body) {
      showFormError(S.empty);
      textarea.focus();
      return;
    }
    showFormError("");
    var clientId = randomId();
    var node = pendingNode(body);
    pending.set(clientId, { body: body, node: node, seq: null, sending: false });
    list.appendChild(node);
    var empty = root.querySelector("[data-chat-empty]");
    if (empty) { empty.remove(); }
    textarea.value = "";
    textarea.focus();
    if (subscribed) {
      sendPost(clientId);
    } else if (polling()) {
      postPendingOverHttp();
    } // otherwise it waits for the socket to come back
  }

  // --- The socket --------------------------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function subscribe() {
    var frame = { action: "subscribe", channel: channelId, last_seq: lastSeq, ref: "subscribe" };
    if (changesAt) { frame.changes_since = changesAt; }
    send(frame);
  }

  function resync() {
    if (resyncing || !subscribed) { return; }
    resyncing = true;
    subscribe();
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + root.dataset.socketPath;
  }

  function connect() {
    reconnectTimer = null;
    if (stopped) { return; }
    try {
      socket = new WebSocket(socketUrl());
    } catch (error) {
      closed({ code: 1006 });
      return;
    }
    socket.addEventListener("open", function () { subscribe(); startPing(); });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      handle(frame);
    });
    socket.addEventListener("close", closed);
  }

  function closed(event) {
    var wasSubscribed = subscribed;
    subscribed = false;
    resyncing = false;
    socket = null;
    stopPing();
    if (stopped) { return; }
    if (event.code === 4403) {
      stop(S.expired);
      return;
    }
    if (wasSubscribed) {
      failures = 0;
    }
    failures += 1;
    if (everConnected && !lostSaid) {
      say(S.lost);
      lostSaid = true;
    }
    setConnection(polling() ? "polling" : "lost");
    if (failures >= FAILURES_BEFORE_POLLING) { startPolling(); }
    var delay = Math.min(MAX_DELAY, MIN_DELAY * Math.pow(2, failures - 1));
    delay = delay / 2 + Math.random() * delay / 2; // jitter: sockets do not all come back at once
    reconnectTimer = window.setTimeout(connect, delay);
  }

  function stop(text) {
    stopped = true;
    setConnection("stopped");
    say(text);
    stopPolling();
    if (reconnectTimer) { window.clearTimeout(reconnectTimer); }
    if (socket) { socket.close(); }
  }

  function startPing() {
    stopPing();
    pingTimer = window.setInterval(function () {
      if (!send({ action: "ping" })) { return; }
      if (!pongTimer) {
        // No answer: the connection is dead without having said so; start again.
        pongTimer = window.setTimeout(function () {
          pongTimer = null;
          if (socket) { socket.close(); }
        }, PONG_WITHIN);
      }
    }, PING_EVERY);
  }

  function stopPing() {
    if (pingTimer) { window.clearInterval(pingTimer); pingTimer = null; }
    if (pongTimer) { window.clearTimeout(pongTimer); pongTimer = null; }
  }

  function handle(frame) {
    switch (frame.type) {
      case "message":
        receive(frame.message);
        break;
      case "update":
        update(frame.message);
        break;
      case "subscribed":
        if (frame.channel !== channelId) { return; }
        subscribed = true;
        resyncing = false;
        if (frame.at) { changesAt = frame.at; }
        failures = 0;
        stopPolling();
        setConnection("live");
        if (lostSaid) { say(S.restored); lostSaid = false; } else if (everConnected) { say(""); }
        everConnected = true;
        // Whatever is still waiting goes now, under the same ids: it is never saved twice.
        pending.forEach(function (entry, clientId) { if (entry.seq === null) { sendPost(clientId); } });
        markReadSoon();
        break;
      case "posted":
        posted(frame);
        break;
      case "typing":
        if (frame.channel === channelId && frame.member) { showTyping(frame.member.name); }
        break;
      case "archived":
        if (frame.channel === channelId) { becomeArchived(); }
        break;
      case "unsubscribed":
        // Unasked (this page never unsubscribes): the member lost access to the channel.
        if (frame.channel === channelId) { stop(S.reload); }
        break;
      case "pong":
        if (pongTimer) { window.clearTimeout(pongTimer); pongTimer = null; }
        break;
      case "error":
        error(frame);
        break;
      default:
        break;
    }
  }

  function error(frame) {
    if (typeof frame.ref === "string" && frame.ref !== "subscribe" && pending.has(frame.ref)) {
      if (frame.code === "server_error") { return; } // resent at the next reconnection
      failed(frame.ref, frame.message);
      return;
    }
    if (frame.ref === "subscribe" && (frame.code === "future" || frame.code === "not_found")) {
      stop(S.reload);
      return;
    }
    if (frame.code === "archived") { becomeArchived(); }
    if (frame.message) { say(frame.message); }
  }

  function becomeArchived() {
    archived = true;
    if (form) { form.hidden = true; }
    var notice = document.querySelector("[data-chat-archived]");
    if (notice) { notice.hidden = false; }
  }

  function showTyping(name) {
    if (!typingNode) { return; }
    typingNode.textContent = S.typing.replace("%(name)s", name);
    if (typingTimer) { window.clearTimeout(typingTimer); }
    typingTimer = window.setTimeout(function () { typingNode.textContent = ""; }, 5000);
  }

  function typing() {
    var now = Date.now();
    if (subscribed && now - typingSentAt > 3000 && textarea.value.trim()) {
      typingSentAt = now;
      send({ action: "typing", channel: channelId });
    }
  }

  function markReadSoon() {
    if (readTimer) { return; }
    readTimer = window.setTimeout(function () {
      readTimer = null;
      if (document.visibilityState !== "visible" || lastSeq <= readSent) { return; }
      if (subscribed) {
        if (send({ action: "read", channel: channelId, seq: lastSeq })) { readSent = lastSeq; }
      } else if (polling() && window.fetch && root.dataset.readUrl) {
        var seq = lastSeq;
        var data = new FormData();
        data.set("seq", String(seq));
        fetch(root.dataset.readUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": root.dataset.csrf || "" }
        }).then(function (response) {
          if (response.ok && seq > readSent) { readSent = seq; }
        }).catch(function () { /* offline: marked at the next poll */ });
      }
    }, 500);
  }

  // --- Without the socket: polling ------------------------------------------------------------

  function polling() {
    return pollTimer !== null;
  }

  function startPolling() {
    if (polling()) { return; }
    setConnection("polling");
    say(S.polling);
    pollTimer = window.setInterval(poll, POLL_EVERY);
    poll();
  }

  function stopPolling() {
    if (pollTimer !== null) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function poll() {
    if (!window.fetch) { return; }
    var url = root.dataset.pollUrl + "?apres=" + encodeURIComponent(lastSeq);
    if (changesAt) { url += "&depuis=" + encodeURIComponent(changesAt); }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 403 || response.status === 404) { stop(S.reload); }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        (data.updates || []).forEach(update);
        data.messages.forEach(receive);
        if (data.at) { changesAt = data.at; }
        if (data.more) { poll(); } else { postPendingOverHttp(); markReadSoon(); }
      })
      .catch(function () { /* offline: the next round tries again */ });
  }

  // Own messages written while the socket is down go through the plain form, with the same
  // client ids (the server keeps one message per id). The form answers with a redirection
  // when the message is saved, or with the page and its error.
  function postPendingOverHttp() {
    if (!form || !window.fetch) { return; }
    pending.forEach(function (entry, clientId) {
      if (entry.seq !== null || entry.sending) { return; }
      entry.sending = true;
      var data = new FormData(form);
      data.set(textarea.name, entry.body);
      data.set("client_id", clientId);
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok && response.redirected) {
            entry.seq = 0; // saved; the next poll brings it with its number
            setState(entry.node, S.sent);
            poll();
            return null;
          }
          return response.text().then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var problem = page.querySelector("#message-form .errorlist li, .messages .message--error");
            failed(clientId, problem ? problem.textContent : S.failed);
          });
        })
        .catch(function () { /* offline: tried again after the next poll */ })
        .finally(function () { entry.sending = false; });
    });
  }

  // --- Start --------------------------------------------------------------------------------

  if (form && textarea) {
    form.addEventListener("submit", submit);
    textarea.addEventListener("input", typing);
    textarea.addEventListener("keydown", function (event) {
      // Ctrl+Enter (or Cmd+Enter) sends, as in most messaging tools; Enter alone is a new line.
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
  document.addEventListener("visibilitychange", markReadSoon);
  window.addEventListener("pagehide", function () { stopped = true; });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); } // back from the cache: start afresh
  });
  setConnection("connecting");
  if (window.WebSocket) {
    connect();
  } else {
    startPolling();
  }
})();
