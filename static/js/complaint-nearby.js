/*
 * The filing hint on step ๒: open complaints of the same category near the shared position, or
 * in the chosen subdistrict. The page draws it when it is sent (so it works without
 * JavaScript, after "แสดงอำเภอ/ตำบล"); this script asks the server again
 * ([data-nearby-url], an HTML fragment) whenever the category, the subdistrict or the position
 * (the "complaint:location" event of complaint-location.js) changes, and puts the answer in
 * the [data-nearby] box, a polite live region. A failed request leaves the box as it was.
 */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-nearby]");
    if (!box || !window.fetch) { return; }
    var form = box.closest("form");
    if (!form) { return; }

    function field(name) { return form.querySelector("[name$='-" + name + "']"); }

    var asked = 0;
    function refresh() {
      var params = new URLSearchParams();
      ["category", "subdistrict", "latitude", "longitude"].forEach(function (name) {
        var input = field(name);
        if (input && input.value) { params.set(name, input.value); }
      });
      var ticket = ++asked;
      if (!params.get("category") || (!params.get("subdistrict") && !params.get("latitude"))) {
        box.innerHTML = "";
        return;
      }
      fetch(box.dataset.nearbyUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { "Accept": "text/html" }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html !== null && ticket === asked) { box.innerHTML = html; }
      }).catch(function () { /* the hint is help: without it the form works the same */ });
    }

    ["category", "subdistrict"].forEach(function (name) {
      var input = field(name);
      if (input) { input.addEventListener("change", refresh); }
    });
    form.addEventListener("complaint:location", refresh);
    // On a slow network the citizen may choose before this script has arrived: the hint the
    // page was drawn with is then for the page's own choices, not theirs.
    if (["category", "subdistrict"].some(function (name) { return chosenBeforeScript(field(name)); })) {
      refresh();
    }
  }

  function chosenBeforeScript(select) {
    if (!select || !select.options || select.selectedIndex < 0) { return false; }
    var drawn = Array.prototype.filter.call(select.options, function (option) {
      return option.defaultSelected;
    }).pop() || select.options[0];
    return select.options[select.selectedIndex] !== drawn;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
