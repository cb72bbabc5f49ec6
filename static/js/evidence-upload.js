/*
 * The evidence step (ขั้นตอนที่ ๓) uploads each picked file at once, with its own progress bar,
 * and removes a file without reloading the page. Progressive enhancement: without this script
 * the picker is an ordinary file input, "ต่อไป" uploads what it holds and each "ลบ" button
 * posts the form.
 *
 * One request at a time (files and removals wait in one queue): the wizard keeps the staged
 * files in the session, and two requests at once could each save a list without the other's
 * file. Each request is the step's form minus its answers (the management form, the CSRF
 * token, one file or one "remove_file") with "Accept: application/json"; the wizard answers
 * {files_html, files_left, errors} (200, or 422 with the refusals: the same Thai messages as
 * "ต่อไป") or {redirect} (409: the consent must be accepted again). "ต่อไป" and "ย้อนกลับ"
 * pressed while files are still uploading wait for the queue, then go.
 *
 * Messages come translated from the page (data-msg-* on [data-evidence-uploader]).
 */
(function () {
  "use strict";

  function enhance(box) {
    var form = box.closest("form");
    var input = box.querySelector("input[type=file]");
    if (!form || !input || !window.FormData || !window.XMLHttpRequest) { return; }
    var filesBox = box.querySelector("[data-evidence-files]");
    var uploads = box.querySelector("[data-evidence-uploads]");
    var picker = box.querySelector("[data-evidence-picker]");
    var full = box.querySelector("[data-evidence-full]");
    var errorsBox = box.querySelector("[data-evidence-errors]");
    var status = box.querySelector("[data-evidence-status]");
    var queue = [];
    var busy = false;
    var pendingSubmit = null;
    box.classList.add("is-enhanced");

    function msg(name, fileName) {
      var text = box.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
      return text.replace("{name}", fileName || "");
    }

    function say(text) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function baseData() {
      var data = new FormData();
      form.querySelectorAll("input[type=hidden]").forEach(function (hidden) {
        if (/(^csrfmiddlewaretoken$|-current_step$)/.test(hidden.name)) {
          data.append(hidden.name, hidden.value);
        }
      });
      return data;
    }

    function showErrors(errors) {
      errorsBox.textContent = "";
      box.classList.toggle("has-error", errors.length > 0);
      if (!errors.length) { return; }
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = input.id + "_error";
      errors.forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = error;
        list.appendChild(item);
      });
      errorsBox.appendChild(list);
      var described = input.getAttribute("aria-describedby") || "";
      if (described.indexOf(list.id) === -1) {
        input.setAttribute("aria-describedby", (described + " " + list.id).trim());
      }
    }

    function showState(data) {
      filesBox.innerHTML = data.files_html;  // drawn by the server's own template
      picker.hidden = data.files_left < 1;
      full.hidden = data.files_left > 0;
      showErrors(data.errors || []);
    }

    function send(data, row) {
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.responseType = "json";
      if (row) {
        request.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) {
            row.progress.value = Math.round((event.loaded / event.total) * 100);
          }
        });
      }
      return new Promise(function (resolve) {
        request.addEventListener("load", function () {
          var data = request.response;
          if (data && data.redirect) {
            window.location.assign(data.redirect);
            return;
          }
          if (data && typeof data.files_html === "string") {
            resolve(data);
            return;
          }
          if (request.responseURL && request.responseURL.indexOf(form.action) === -1) {
            window.location.assign(request.responseURL);  // e.g. the log-in page
            return;
          }
          resolve(null);
        });
        request.addEventListener("error", function () { resolve(null); });
        request.addEventListener("abort", function () { resolve(null); });
        request.send(data);
      });
    }

    function uploadRow(file) {
      var row = document.createElement("li");
      row.className = "file-upload";
      var name = document.createElement("span");
      name.className = "file-name";
      name.textContent = file.name;
      var progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute("aria-label", msg("progressLabel", file.name));
      var note = document.createElement("span");
      note.className = "file-note";
      note.textContent = msg("uploading", file.name);
      row.appendChild(name);
      row.appendChild(progress);
      row.appendChild(note);
      uploads.appendChild(row);
      uploads.hidden = false;
      return { element: row, progress: progress, note: note };
    }

    function failed(task) {
      var row = task.row;
      row.element.classList.add("failed");
      row.progress.hidden = true;
      row.note.textContent = msg("failed", task.file.name);
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "secondary";
      retry.textContent = msg("retry");
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "secondary";
      dismiss.textContent = msg("dismiss");
      dismiss.setAttribute("aria-label", msg("dismissLabel", task.file.name));
      retry.addEventListener("click", function () {
        row.element.remove();
        task.row = uploadRow(task.file);
        enqueue(task);
      });
      dismiss.addEventListener("click", function () {
        row.element.remove();
        uploads.hidden = !uploads.children.length;
        input.focus();
      });
      row.element.appendChild(retry);
      row.element.appendChild(dismiss);
      say(row.note.textContent);
    }

    function run(task) {
      var data = baseData();
      if (task.file) {
        data.append(input.name, task.file, task.file.name);
      } else {
        data.append(task.removeName, task.removeValue);
      }
      return send(data, task.row).then(function (answer) {
        if (!answer) {
          if (task.row) { failed(task); }
          return;
        }
        showState(answer);
        if (task.row) {
          task.row.element.remove();
          uploads.hidden = !uploads.children.length;
          if (!answer.errors.length) { say(msg("uploaded", task.file.name)); }
        } else {
          say(msg("removed"));
          (input.offsetParent ? input : form.querySelector("button.primary")).focus();
        }
      });
    }

    function next() {
      if (!queue.length) {
        busy = false;
        if (pendingSubmit) {
          var submitter = pendingSubmit;
          pendingSubmit = null;
          if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
        }
        return;
      }
      busy = true;
      run(queue.shift()).then(next, next);
    }

    function enqueue(task) {
      queue.push(task);
      if (!busy) { next(); }
    }

    function uploadPicked() {
      var picked = Array.prototype.slice.call(input.files || []);
      input.value = "";  // uploaded here, not again by "ต่อไป"
      picked.forEach(function (file) { enqueue({ file: file, row: uploadRow(file) }); });
    }

    input.addEventListener("change", uploadPicked);

    filesBox.addEventListener("click", function (event) {
      var button = event.target.closest("button[type=submit][name]");
      if (!button) { return; }
      event.preventDefault();
      button.disabled = true;
      enqueue({ removeName: button.name, removeValue: button.value });
    });

    form.addEventListener("submit", function (event) {
      if (!busy && !queue.length) { return; }
      event.preventDefault();
      pendingSubmit = event.submitter || null;
      say(msg("wait"));
    });

    // On a slow network the citizen may pick files before this script has arrived: the
    // input already holds them, and they go up now instead of waiting for "ต่อไป".
    if (input.files && input.files.length) { uploadPicked(); }
  }

  function init() {
    document.querySelectorAll("[data-evidence-uploader]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
