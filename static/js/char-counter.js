/*
 * A live "0/4000" counter under every textarea[data-char-counter="4000"] (progressive
 * enhancement: the server checks the length anyway and says so in Thai). The textarea carries
 * its messages, translated by the server: data-counter-over-by ("{n}" = characters too many),
 * data-counter-too-long and data-counter-ok (both read out by screen readers).
 *
 * Characters are counted as the server counts them: code points, with a line break as one
 * character. Nothing is cut off when the limit is passed (a pasted text is never lost); the
 * counter turns red and says how much to remove. Screen readers hear only the changes that
 * matter (crossing the limit), not every keystroke.
 */
(function () {
  "use strict";

  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }

  function enhance(textarea) {
    var limit = parseInt(textarea.getAttribute("data-char-counter"), 10);
    if (!limit) { return; }
    var counter = document.createElement("span");
    counter.className = "char-counter";
    counter.id = (textarea.id || "text") + "_counter";
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", live);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var wasOver = false;

    // Messages come translated from the page (data-counter-over-by="… {n} …" and so on).
    function text(name, fallback) {
      return textarea.dataset["counter" + name.charAt(0).toUpperCase() + name.slice(1)] || fallback;
    }

    function update() {
      var used = count(textarea.value);
      var over = used > limit;
      counter.textContent = used + "/" + limit;
      if (over) {
        counter.textContent += " — " + text("overBy", "").replace("{n}", used - limit);
      }
      counter.classList.toggle("over", over);
      if (over !== wasOver) {
        live.textContent = over ? text("tooLong", "") : text("ok", "");
        wasOver = over;
      }
    }

    textarea.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-char-counter]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
