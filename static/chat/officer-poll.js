/* The live part both officer chat screens share (officer-inbox.js, officer-conversation.js):
   while the tab is visible, ask a JSON address every `interval` ms, one request at a time;
   after a failed answer say so in `statusLine` and try three times less often; on an expired
   session (401/403) say so and stop. A tab coming back into view asks at once.

   var poller = window.ddcOfficerPoll({ url: function () { return "…"; }, onData: fn,
                                        statusLine: element, strings: { expired, offline },
                                        interval: ms });
   poller.schedule(0) asks now; poller.headers are the JSON request headers. */
(function () {
  "use strict";
  var HEADERS = { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" };

  window.ddcOfficerPoll = function (options) {
    var timer = null, busy = false;

    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(poll, delay);
    }

    function poll() {
      if (document.visibilityState !== "visible" || busy) { return; }
      busy = true;
      fetch(options.url(), { credentials: "same-origin", headers: HEADERS }).then(function (response) {
        if (response.status === 403 || response.status === 401) { throw new Error("expired"); }
        if (!response.ok) { throw new Error("offline"); }
        return response.json();
      }).then(function (data) {
        options.statusLine.textContent = "";
        options.onData(data);
        busy = false;
        schedule(options.interval);
      }).catch(function (error) {
        busy = false;
        var expired = error.message === "expired";
        options.statusLine.textContent = expired ? options.strings.expired : options.strings.offline;
        if (!expired) { schedule(options.interval * 3); }
      });
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { schedule(0); }
    });
    schedule(options.interval);
    return { schedule: schedule, headers: HEADERS };
  };
})();
