/* One conversation on an officer's screen, live: while the tab is visible it asks
   messages.json?after=<last id> every data-interval ms, appends what is new (drawn like
   templates/chat/admin/_message.html), keeps "who has it" and "closed" current, and sends the
   answer with fetch. Polling: officer-poll.js. Without JavaScript the same forms post and the
   page comes back. */
(function () {
  "use strict";
  var root = document.getElementById("chat-conversation");
  if (!root || !window.fetch) { return; }
  var T = JSON.parse(document.getElementById("chat-strings").textContent);
  var log = document.getElementById("chat-log");
  var statusLine = document.getElementById("chat-status");
  var replyForm = document.getElementById("chat-reply");
  var replyError = document.getElementById("chat-reply-error");
  var interval = parseInt(root.dataset.interval, 10) || 1000;
  var me = root.dataset.me;
  var lastId = parseInt(root.dataset.lastId, 10) || 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function messageItem(m) {
    var li = el("li", "chat-msg chat-msg--" + m.sender);
    li.dataset.messageId = m.id;
    if (m.image_status === "pending") { li.dataset.pending = "1"; }
    var meta = el("div", "chat-meta");
    meta.appendChild(el("span", "chat-who", m.who));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", "chat-at", m.at));
    li.appendChild(meta);
    if (m.kind === "image" && m.image_url) {
      var link = el("a", "chat-image"), img = el("img");
      link.href = m.image_url; link.target = "_blank"; link.rel = "noopener";
      img.src = m.image_url; img.alt = T.imageAlt; img.loading = "lazy";
      link.appendChild(img);
      li.appendChild(link);
    } else if (m.kind === "image") {
      var state = el("p", "chat-body chat-image-state", T.image + " " + m.image_label);
      state.dataset.imageStatus = m.image_status;
      li.appendChild(state);
    } else if (m.kind === "sticker") {
      li.appendChild(el("p", "chat-body chat-sticker", m.sticker));
    } else {
      li.appendChild(el("p", "chat-body", m.text));
    }
    return li;
  }

  function nearBottom() {
    var box = document.scrollingElement || document.documentElement;
    return box.scrollHeight - box.scrollTop - window.innerHeight < 200;
  }

  /* In id order, each message once. Only polls move lastId: an answer sent from here may
     overtake a citizen message the next poll has still to bring. */
  function add(messages, fromPoll) {
    var follow = nearBottom();
    messages.forEach(function (m) {
      var item = messageItem(m), existing = null, later = null;
      Array.prototype.some.call(log.children, function (li) {
        var id = parseInt(li.dataset.messageId, 10);
        if (id === m.id) { existing = li; return true; }
        if (id > m.id) { later = li; return true; }
        return false;
      });
      if (existing) { existing.replaceWith(item); } else { log.insertBefore(item, later); }
      if (fromPoll && m.id > lastId) { lastId = m.id; }
    });
    if (messages.length && follow) { log.lastElementChild.scrollIntoView({ block: "end" }); }
  }

  function setHidden(selector, hidden) {
    root.querySelectorAll(selector).forEach(function (node) { node.hidden = hidden; });
  }

  function showState(state) {
    document.getElementById("chat-assigned").textContent = state.assigned;
    root.dataset.assignedId = state.assigned_id || "";
    setHidden("[data-open-only]", !state.is_open);
    setHidden("[data-not-mine]", String(state.assigned_id) === me);
    document.getElementById("chat-closed-notice").hidden = state.is_open;
    document.getElementById("chat-closed-at").textContent = state.closed_at;
  }

  /* A picture still being fetched from LINE: ask again from just before it. */
  function since() {
    var pending = log.querySelector("[data-pending]");
    return pending ? parseInt(pending.dataset.messageId, 10) - 1 : lastId;
  }

  if (replyForm) {
    var textarea = replyForm.querySelector("textarea");
    var sendButton = replyForm.querySelector('button[type="submit"]');
    replyForm.querySelectorAll("[data-quick-reply]").forEach(function (button) {
      button.addEventListener("click", function () {
        textarea.value = button.dataset.quickReply;
        textarea.focus();
      });
    });
    replyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sendButton.disabled) { return; }
      sendButton.disabled = true;
      replyError.hidden = true;
      fetch(window.location.pathname, {
        method: "POST", credentials: "same-origin", headers: poller.headers,
        body: new FormData(replyForm)
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          var errors = result.data.errors || {};
          var first = (errors.text || errors.__all__ || [{ message: T.sendFailed }])[0];
          throw new Error(typeof first === "string" ? first : first.message);
        }
        textarea.value = "";
        add([result.data.message], false);
        log.lastElementChild.scrollIntoView({ block: "end" });
        poller.schedule(0);
      }).catch(function (error) {
        replyError.textContent = error.message || T.sendFailed;
        replyError.hidden = false;
      }).then(function () { sendButton.disabled = false; });
    });
  }

  if (log.lastElementChild) { log.lastElementChild.scrollIntoView({ block: "end" }); }
  var poller = window.ddcOfficerPoll({
    url: function () { return root.dataset.pollUrl + "?seen=1&after=" + since(); },
    onData: function (data) {
      add(data.messages, true);
      showState(data.conversation);
    },
    statusLine: statusLine, strings: T, interval: interval
  });
})();
