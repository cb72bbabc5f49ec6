/*
 * แชร์ตำแหน่งที่ตั้งปัจจุบัน: the phone's position into three hidden inputs, shown on a small
 * Leaflet map (static/vendor/leaflet) with a pin the citizen can drag or move by tapping the
 * map. Sharing is optional: when permission is refused, no position can be found, Leaflet is
 * missing or no map tiles load, the page says so (messages come translated from the page's
 * data-msg-* attributes) and the form goes on without a position or with the coordinates only.
 *
 * [data-location]           the box on step ๒ (inputs [data-location-field=latitude|longitude|
 *                           accuracy], buttons [data-location-share] / [data-location-clear],
 *                           [data-location-status], [data-location-map])
 * [data-location-readonly]  a map with a fixed pin (the review step): data-latitude/longitude,
 *                           drawn when the citizen taps its [data-location-show] button
 * Both carry data-tile-url, data-tile-attribution, data-icon-url, data-icon-2x-url,
 * data-shadow-url, and data-leaflet-js / data-leaflet-css: Leaflet (about 46 KB) and the tiles
 * are fetched only once a map is wanted (a position shared, or the button tapped), so a citizen
 * who shares no position never downloads them (the 150 KB page budget, bench/page_budget.py).
 */
(function () {
  "use strict";

  var ZOOM = 17;

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  function round6(value) { return Number(value).toFixed(6); }

  // Leaflet's script and style, added to the page once; done(true) when L is ready.
  var leaflet = { state: "idle", waiting: [] };
  function withLeaflet(element, done) {
    if (window.L) { done(true); return; }
    if (leaflet.state === "failed" || !element.dataset.leafletJs) { done(false); return; }
    leaflet.waiting.push(done);
    if (leaflet.state === "loading") { return; }
    leaflet.state = "loading";
    var finish = function (ok) {
      leaflet.state = ok ? "ready" : "failed";
      leaflet.waiting.splice(0).forEach(function (callback) { callback(ok && !!window.L); });
    };
    if (element.dataset.leafletCss) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = element.dataset.leafletCss;
      document.head.appendChild(style);
    }
    var script = document.createElement("script");
    script.src = element.dataset.leafletJs;
    script.onload = function () { finish(true); };
    script.onerror = function () { finish(false); };
    document.head.appendChild(script);
  }

  // A Leaflet map with one pin, or null when Leaflet is missing or fails.
  function makeMap(element, config, lat, lng, options) {
    if (!window.L) { return null; }
    element.hidden = false;
    try {
      var map = window.L.map(element, { scrollWheelZoom: false, tap: true });
      map.setView([lat, lng], ZOOM);
      // Tile servers (OpenStreetMap's policy) want to know the site: send the origin only,
      // never the page's path, whatever the site's own Referrer-Policy says.
      var tiles = window.L.tileLayer(config.tileUrl, {
        maxZoom: 19, attribution: config.tileAttribution,
        referrerPolicy: "strict-origin-when-cross-origin"
      });
      var loaded = 0;
      var failed = 0;
      tiles.on("tileload", function () { loaded += 1; });
      tiles.on("tileerror", function () {
        failed += 1;
        if (!loaded && failed === 3 && options.onTilesFailed) { options.onTilesFailed(); }
      });
      tiles.addTo(map);
      var icon = window.L.icon({
        iconUrl: config.iconUrl, iconRetinaUrl: config.icon2xUrl, shadowUrl: config.shadowUrl,
        iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
      });
      var marker = window.L.marker([lat, lng], {
        icon: icon, draggable: !!options.draggable, title: options.pinLabel || "",
        alt: options.pinLabel || ""
      }).addTo(map);
      return { map: map, marker: marker };
    } catch (error) {
      element.hidden = true;
      return null;
    }
  }

  function configOf(element) {
    var data = element.dataset;
    return {
      tileUrl: data.tileUrl, tileAttribution: data.tileAttribution, iconUrl: data.iconUrl,
      icon2xUrl: data.icon2xUrl, shadowUrl: data.shadowUrl
    };
  }

  function enhanceBox(box) {
    var msg = box.dataset;
    var config = configOf(box);
    var fields = {};
    box.querySelectorAll("[data-location-field]").forEach(function (input) {
      fields[input.getAttribute("data-location-field")] = input;
    });
    var share = box.querySelector("[data-location-share]");
    var clear = box.querySelector("[data-location-clear]");
    var status = box.querySelector("[data-location-status]");
    var mapElement = box.querySelector("[data-location-map]");
    var current = null;

    function say(text, problem) {
      status.textContent = text;
      status.classList.toggle("problem", !!problem);
    }

    function describe(lat, lng, accuracy) {
      var template = accuracy ? msg.msgFound : msg.msgMoved;
      return fill(template, { lat: round6(lat), lng: round6(lng), acc: Math.round(accuracy || 0) });
    }

    // Others (complaint-nearby.js) hear of every change of the position.
    function announce() {
      box.dispatchEvent(new CustomEvent("complaint:location", { bubbles: true }));
    }

    function store(lat, lng, accuracy) {
      fields.latitude.value = round6(lat);
      fields.longitude.value = round6(lng);
      fields.accuracy.value = accuracy ? String(Math.round(accuracy)) : "";
      clear.hidden = false;
      announce();
    }

    function moved(latlng) {
      store(latlng.lat, latlng.lng, null);
      say(describe(latlng.lat, latlng.lng, null));
    }

    function show(lat, lng) {
      if (current) {
        current.marker.setLatLng([lat, lng]);
        current.map.setView([lat, lng], ZOOM);
        return;
      }
      withLeaflet(box, function () {
        // The citizen may have pressed "ไม่ใช้ตำแหน่งนี้" while Leaflet was loading.
        if (current || !fields.latitude.value) { return; }
        draw(parseFloat(fields.latitude.value), parseFloat(fields.longitude.value));
      });
    }

    function draw(lat, lng) {
      current = makeMap(mapElement, config, lat, lng, {
        draggable: true,
        pinLabel: msg.msgPin,
        onTilesFailed: function () { say(msg.msgNoMap, true); }
      });
      if (!current) {
        say(status.textContent + " " + msg.msgNoMap, true);
        return;
      }
      current.marker.on("dragend", function () { moved(current.marker.getLatLng()); });
      current.map.on("click", function (event) {
        current.marker.setLatLng(event.latlng);
        moved(event.latlng);
      });
    }

    function located(position) {
      var c = position.coords;
      share.disabled = false;
      store(c.latitude, c.longitude, c.accuracy);
      say(describe(c.latitude, c.longitude, c.accuracy));
      show(c.latitude, c.longitude);
    }

    function failed(error) {
      share.disabled = false;
      say(error && error.code === 1 ? msg.msgDenied : msg.msgUnavailable, true);
    }

    clear.addEventListener("click", function () {
      fields.latitude.value = fields.longitude.value = fields.accuracy.value = "";
      announce();
      if (current) { current.map.remove(); current = null; }
      mapElement.hidden = true;
      clear.hidden = true;
      say(msg.msgCleared);
      share.focus();
    });

    if (!("geolocation" in navigator)) {
      say(msg.msgUnsupported, true);
    } else {
      share.hidden = false;
      share.addEventListener("click", function () {
        share.disabled = true;
        say(msg.msgLocating);
        navigator.geolocation.getCurrentPosition(located, failed, {
          enableHighAccuracy: true, timeout: 20000, maximumAge: 60000
        });
      });
    }

    var lat = parseFloat(fields.latitude.value);
    var lng = parseFloat(fields.longitude.value);
    if (!isNaN(lat) && !isNaN(lng)) {
      clear.hidden = false;
      show(lat, lng);
    }
  }

  function enhanceReadonly(element) {
    var lat = parseFloat(element.dataset.latitude);
    var lng = parseFloat(element.dataset.longitude);
    var button = element.parentNode.querySelector("[data-location-show]");
    var status = element.parentNode.querySelector("[data-location-status]");
    if (isNaN(lat) || isNaN(lng) || !button) { return; }
    function failed() {
      element.hidden = true;
      if (status) { status.textContent = element.dataset.msgNoMap || ""; }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      withLeaflet(element, function (ok) {
        var shown = ok && makeMap(element, configOf(element), lat, lng, {
          draggable: false, onTilesFailed: failed
        });
        if (!shown) { button.disabled = false; failed(); return; }
        button.hidden = true;
        element.focus({ preventScroll: true }); // Leaflet's container takes focus; the button is gone
        shown.map.dragging.disable();
        shown.map.touchZoom.disable();
        shown.map.doubleClickZoom.disable();
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-location]").forEach(enhanceBox);
    document.querySelectorAll("[data-location-readonly]").forEach(enhanceReadonly);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
