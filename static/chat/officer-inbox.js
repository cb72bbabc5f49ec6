/* The officers' chat inbox stays current without reloading: while the tab is visible it asks
   inbox.json every data-interval ms and redraws the open conversations (same fields as the
   server-drawn rows in templates/chat/admin/_inbox_row.html). Polling: officer-poll.js. */
(function () {
  "use strict";
  var root = document.getElementById("chat-inbox");
  if (!root || !window.fetch) { return; }
  var T = JSON.parse(document.getElementById("chat-strings").textContent);
  var body = document.getElementById("chat-inbox-rows");
  var count = document.getElementById("chat-open-count");
  var statusLine = document.getElementById("chat-inbox-status");
  var interval = parseInt(root.dataset.interval, 10) || 1000;
  var mine = /[?&]mine=1/.test(root.dataset.pollUrl);
  var lastSnapshot = "";

  function cell(text, cls, column) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    if (column) { td.dataset.label = T.columns[column]; }
    if (text !== undefined) { td.textContent = text; }
    return td;
  }

  function row(data) {
    var tr = document.createElement("tr");
    tr.dataset.conversationId = data.id;
    if (data.unread) { tr.className = "chat-row-unread"; }
    var name = cell(undefined, "chat-col-name"), link = document.createElement("a");
    link.href = data.url; link.textContent = data.name; name.appendChild(link);
    var unread = cell(undefined, "chat-col-unread", "unread");
    if (data.unread) {
      var badge = document.createElement("span");
      badge.className = "chat-unread";
      badge.textContent = data.unread;
      badge.setAttribute("aria-label", T.unread.replace("%(n)s", data.unread));
      unread.appendChild(badge);
    } else {
      unread.textContent = "0";
    }
    tr.appendChild(name);
    tr.appendChild(cell(data.channel, "", "channel"));
    tr.appendChild(unread);
    tr.appendChild(cell(data.waiting || "—", "chat-col-waiting", "waiting"));
    tr.appendChild(cell(data.assigned, "chat-col-assigned", "assigned"));
    tr.appendChild(cell(data.preview, "chat-col-preview", "preview"));
    return tr;
  }

  function draw(rows) {
    var snapshot = JSON.stringify(rows);
    if (snapshot === lastSnapshot) { return; }
    lastSnapshot = snapshot;
    var fragment = document.createDocumentFragment();
    rows.forEach(function (data) { fragment.appendChild(row(data)); });
    if (!rows.length) {
      var empty = document.createElement("tr");
      empty.className = "chat-empty";
      var td = cell(mine ? T.emptyMine : T.empty);
      td.colSpan = 6;
      empty.appendChild(td);
      fragment.appendChild(empty);
    }
    body.replaceChildren(fragment);
    count.textContent = rows.length;
  }

  window.ddcOfficerPoll({
    url: function () { return root.dataset.pollUrl; },
    onData: function (data) { draw(data.rows); },
    statusLine: statusLine, strings: T, interval: interval
  });
})();
