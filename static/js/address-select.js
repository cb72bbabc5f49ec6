/*
 * Cascading province → district → subdistrict selects (progressive enhancement).
 *
 * Works on any form whose selects carry data-address-level="province|district|subdistrict"
 * (addresses.forms.AddressFieldsMixin renders them so). Selects are grouped by the nearest
 * [data-address-group] element, else by their form, so one page may hold several addresses.
 * Without this script the form's "แสดงอำเภอ/ตำบล" button (name ending in _refresh_address)
 * posts the form back for narrowed lists; with it that button is hidden, and shown again if
 * the lists cannot be fetched. An optional [data-address-postal] element (an <output> or
 * <input>) in the group receives the chosen subdistrict's postal code.
 */
(function () {
  "use strict";

  var URLS = {
    district: "/addresses/api/districts/?province=",
    subdistrict: "/addresses/api/subdistricts/?district="
  };

  function groupOf(select) {
    return select.closest("[data-address-group]") || select.form || document;
  }

  function part(group, level) {
    return group.querySelector('select[data-address-level="' + level + '"]');
  }

  function refreshButtons(group) {
    return group.querySelectorAll('[name$="_refresh_address"]');
  }

  function showRefresh(group, visible) {
    refreshButtons(group).forEach(function (button) {
      var row = button.closest("[data-address-refresh-row]") || button;
      row.hidden = !visible;
    });
  }

  function setPostal(group, code) {
    var output = group.querySelector("[data-address-postal]");
    if (!output) { return; }
    if ("value" in output) { output.value = code || ""; }
    output.textContent = code || "";
    var row = output.closest("[data-address-postal-row]");
    if (row) { row.hidden = !code; }
  }

  // Keep only the "เลือก…" placeholder, then add the fetched options.
  function fill(select, options) {
    var placeholder = select.options.length && select.options[0].value === ""
      ? select.options[0] : null;
    select.innerHTML = "";
    if (placeholder) { select.appendChild(placeholder); }
    (options || []).forEach(function (item) {
      var option = new Option(item.label, item.value);
      if (item.postal_code) { option.dataset.postalCode = item.postal_code; }
      select.appendChild(option);
    });
    select.value = "";
  }

  function load(group, level, parentValue) {
    var select = part(group, level);
    if (!select) { return; }
    fill(select, []);
    if (!parentValue) { return; }
    select.setAttribute("aria-busy", "true");
    fetch(URLS[level] + encodeURIComponent(parentValue), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { fill(select, data.options); })
      .catch(function () { showRefresh(group, true); })
      .then(function () { select.removeAttribute("aria-busy"); });
  }

  function enhance(province) {
    var group = groupOf(province);
    var district = part(group, "district");
    var subdistrict = part(group, "subdistrict");
    if (!window.fetch || !district) { return; }
    showRefresh(group, false);
    function provinceChosen() {
      load(group, "district", province.value);
      if (subdistrict) { fill(subdistrict, []); }
      setPostal(group, "");
    }
    function districtChosen() {
      load(group, "subdistrict", district.value);
      setPostal(group, "");
    }
    province.addEventListener("change", provinceChosen);
    district.addEventListener("change", districtChosen);
    if (subdistrict) {
      subdistrict.addEventListener("change", function () {
        var chosen = subdistrict.options[subdistrict.selectedIndex];
        setPostal(group, chosen && chosen.dataset.postalCode);
      });
    }
    // On a slow network the citizen may pick before this script has arrived: the lists below
    // that pick are then the server's, for what the page was drawn with, and the button that
    // would refresh them is hidden now. Load them for what is picked.
    if (pickedBeforeScript(province)) {
      provinceChosen();
    } else if (subdistrict && pickedBeforeScript(district)) {
      districtChosen();
    }
  }

  function pickedBeforeScript(select) {
    var chosen = select.options[select.selectedIndex];
    return Boolean(chosen && chosen.value && !chosen.defaultSelected);
  }

  function init() {
    document.querySelectorAll('select[data-address-level="province"]').forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
