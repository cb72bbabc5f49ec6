/*
 * The not-a-robot check with JavaScript (core/robot_check.py). The page carries a plain tick
 * box that works without scripts; where the browser can do the proof of work (a secure page,
 * Web Crypto, workers, custom elements) this swaps it for the ALTCHA widget, which fetches a
 * challenge from our site when the box is ticked and solves it in a worker.
 *
 * Strict Content-Security-Policy: no inline script or style attribute, no eval; the widget is
 * the "external" build (its CSS is a stylesheet of ours, no blob: worker) and its worker is our
 * own static file, so script-src 'self' (and worker-src 'self', if set) is all it needs.
 *
 * The widget's own messages are replaced with the page's (data-strings, translated by Django),
 * and a status line (role="status") says "กำลังตรวจสอบ…" / "ยืนยันแล้ว" for screen readers; once
 * the check passes, the server's older error beside the box is hidden.
 * A form sent while the check is still working is sent once it is done.
 */
(function () {
  "use strict";

  var ALGORITHMS = ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"];
  var SAID = { verifying: "verifying", verified: "verified", error: "error", expired: "expired" };

  function canSolve() {
    return Boolean(
      window.isSecureContext && window.crypto && window.crypto.subtle && window.Worker &&
      window.customElements && window.Promise
    );
  }

  function useOurWorkers(url) {
    ALGORITHMS.forEach(function (name) {
      window.$altcha.algorithms.set(name, function () { return new Worker(url); });
    });
  }

  function useOurWords(strings) {
    var language = (document.documentElement.lang || "th").toLowerCase();
    var base = window.$altcha.i18n.get("en") || {};
    window.$altcha.i18n.set(language, Object.assign({}, base, strings));
    return language;
  }

  function describeInnerBox(widget, describedBy) {
    var box = widget.querySelector("input[type=checkbox]");
    if (box && describedBy) { box.setAttribute("aria-describedby", describedBy); }
  }

  // The server's "please tick the box" beside the field is out of date once it is ticked.
  function hideOldErrors(check) {
    var field = check.closest(".field");
    if (!field) { return; }
    Array.prototype.forEach.call(field.querySelectorAll(".errorlist"), function (list) {
      list.hidden = true;
    });
    field.classList.remove("has-error");
    var form = check.closest("form");
    var pointer = form && form.querySelector("p.errorlist.nonfield");  // "fix the red fields"
    if (pointer && !form.querySelector(".field .errorlist:not([hidden])")) { pointer.hidden = true; }
  }

  function holdSubmitWhileSolving(form, widget) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (widget.getState() !== "verifying" || (submitter && submitter.formNoValidate)) { return; }
      event.preventDefault();
      widget.addEventListener("verified", function () {
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      }, { once: true });
    });
  }

  function enhance(check) {
    var fallback = check.querySelector("[data-robot-fallback]");
    var plainBox = fallback && fallback.querySelector("input[type=checkbox]");
    if (!plainBox) { return; }
    var strings = JSON.parse(check.getAttribute("data-strings"));
    var status = check.querySelector("[data-robot-status]");
    var describedBy = plainBox.getAttribute("aria-describedby");
    useOurWorkers(check.getAttribute("data-worker-url"));

    var widget = document.createElement("altcha-widget");
    widget.setAttribute("name", plainBox.name);
    widget.setAttribute("challenge", check.getAttribute("data-challenge-url"));
    widget.setAttribute("language", useOurWords(strings));
    widget.setAttribute("configuration", JSON.stringify({
      hideFooter: true,
      hideLogo: true,
      humanInteractionSignature: false,
      credentials: "same-origin"
    }));
    var tickedAlready = plainBox.checked;  // tapped before this script ran: go on at once
    widget.addEventListener("load", function () {
      describeInnerBox(widget, describedBy);
      if (tickedAlready) { widget.verify(); }
    });
    widget.addEventListener("statechange", function (event) {
      var state = event.detail && event.detail.state;
      var key = SAID[state];
      status.textContent = key ? strings[key] : "";
      describeInnerBox(widget, describedBy);
      if (state === "verified") { hideOldErrors(check); }
    });
    fallback.parentNode.replaceChild(widget, fallback);
    if (widget.closest("form")) { holdSubmitWhileSolving(widget.closest("form"), widget); }
  }

  function init() {
    var checks = document.querySelectorAll("[data-robot-check]");
    if (!checks.length || !canSolve()) { return; }
    window.customElements.whenDefined("altcha-widget").then(function () {
      Array.prototype.forEach.call(checks, enhance);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
