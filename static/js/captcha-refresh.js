/*
 * "ขอภาพใหม่" without reloading the page: asks django-simple-captcha for a new challenge
 * (/captcha/refresh/, which answers only requests marked X-Requested-With) and swaps the
 * picture and the hidden key. Without this script, or when the request fails, the button
 * posts the form and the server draws a new picture.
 */
(function () {
  "use strict";

  function enhance(button) {
    var box = button.closest("[data-captcha]");
    var form = button.form;
    if (!box || !form || !window.fetch) { return; }
    var image = box.querySelector("[data-captcha-image]");
    var audio = box.querySelector("[data-captcha-audio]");
    var key = form.querySelector("[data-captcha-key]");
    var answer = form.querySelector("[data-captcha-answer]");

    button.addEventListener("click", function (event) {
      if (button.dataset.fallback === "1") { return; }
      event.preventDefault();
      button.disabled = true;
      fetch(button.getAttribute("data-refresh-url"), {
        headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          image.src = data.image_url;
          key.value = data.key;
          if (audio && data.audio_url) { audio.href = data.audio_url; }
          answer.value = "";
          answer.focus();
          button.disabled = false;
        })
        .catch(function () {
          button.disabled = false;
          button.dataset.fallback = "1";
          button.click();
        });
    });
  }

  function init() {
    document.querySelectorAll("[data-captcha-refresh]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
