/*
 * /chat/ live: every data-poll-interval ms while the tab is visible, ask for the messages after
 * the last one shown and append them (the server draws them with the page's own template).
 * When the conversation has ended, reload to show the rating form, unless the citizen is in the
 * middle of typing (then say so and keep what they typed). Without JavaScript the page still
 * works: sending is a plain form POST.
 */
(function () {
  "use strict";

  var log = document.querySelector("[data-chat-log]");
  if (!log || !window.fetch) { return; }
  var list = log.querySelector("ol");
  var url = log.getAttribute("data-poll-url");
  var conversation = log.getAttribute("data-conversation");
  var interval = parseInt(log.getAttribute("data-poll-interval"), 10) || 1000;
  var after = parseInt(log.getAttribute("data-after"), 10) || 0;
  var closedNote = document.querySelector("[data-chat-closed]");
  var box = document.querySelector("#compose textarea");
  var timer = null;
  var busy = false;
  var stopped = false;

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function toBottom() {
    log.scrollTop = log.scrollHeight;
  }

  function schedule() {
    window.clearTimeout(timer);
    if (!stopped && document.visibilityState === "visible") {
      timer = window.setTimeout(poll, interval);
    }
  }

  function ended() {
    stopped = true;
    if (!box || !box.value.trim()) {
      window.location.reload();
    } else if (closedNote) {
      closedNote.hidden = false;
    }
  }

  function show(data) {
    var follow = nearBottom();
    (data.messages || []).forEach(function (message) {
      if (!document.getElementById("m" + message.id)) {
        list.insertAdjacentHTML("beforeend", message.html);
      }
    });
    after = Math.max(after, data.last_id || 0);
    if (follow) { toBottom(); }
    if (!data.open || String(data.conversation) !== conversation) { ended(); }
  }

  function poll() {
    if (busy || stopped) { return; }
    busy = true;
    var query = "?conversation=" + encodeURIComponent(conversation) + "&after=" + after;
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(show)
      .catch(function () { /* a lost connection: try again at the next tick */ })
      .then(function () { busy = false; schedule(); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); } else { window.clearTimeout(timer); }
  });
  toBottom();
  schedule();
})();
