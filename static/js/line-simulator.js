/* The developer's LINE phone simulator: a user talks to our official account through the local
   stand-in (which signs the webhook), and the bot's replies and pushes show up by polling. */
(function () {
  "use strict";
  var root = document.getElementById("sim");
  if (!root) { return; }
  var API = root.dataset.api;
  var T = JSON.parse(document.getElementById("sim-strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var userSelect = $("sim-user"), chatList = $("sim-chat"), quick = $("sim-quick");
  var menuBox = $("sim-richmenu"), statusLine = $("sim-status");
  var current = null, lastRendered = "", lastMenu = "";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function status(message, isError) {
    statusLine.textContent = message || "";
    statusLine.classList.toggle("error", !!isError);
  }

  /* The CSRF token at the moment of each request: logging in on the site (in another tab)
     gives the browser a new one, and the page's own copy would then be refused (403). */
  function csrfToken() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : root.dataset.csrf;
  }

  function call(method, path, body) {
    var options = { method: method, headers: { "X-CSRFToken": csrfToken() } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || response.status); }
        return data;
      });
    });
  }

  /* Resolves true once the stand-in took the event (whatever our webhook then answered). */
  function send(event) {
    if (!current) { return Promise.resolve(false); }
    event.userId = current;
    return call("POST", "send", event).then(function (result) {
      var hook = result.webhook || {};
      status(hook.status === 200 ? "" : T.webhook + " " + (hook.status || hook.error), hook.status !== 200);
      poll();
      return true;
    }).catch(function (error) { status(error.message, true); return false; });
  }

  /* What tapping an action does in LINE. A link opens in LINE's in-app browser, which is
     logged in to LINE as this user: the stand-in's in-app entry remembers who (a cookie on
     LINE's host), so LINE Login signs them in there without a password. */
  function act(action) {
    if (!action) { return; }
    if (action.type === "uri") {
      var target = action.uri;
      if (root.dataset.inapp && current) {
        target = root.dataset.inapp + "?" + new URLSearchParams({ user: current, to: action.uri });
      }
      window.open(target, "_blank", "noopener");
    } else if (action.type === "message") {
      send({ type: "message", text: action.text });
    } else if (action.type === "postback" || action.type === "datetimepicker") {
      var event = { type: "postback", data: action.data, displayText: action.displayText || action.text };
      if (action.type === "datetimepicker") {
        var picked = window.prompt(T.pickDate, "");
        if (!picked) { return; }
        event.params = { date: picked };
      }
      send(event);
    } else {
      status(T.unsupported + " (" + action.type + ")", true);
    }
  }

  function actionButton(action) {
    var button = el("button", "", action.label || action.displayText || action.text || action.uri);
    button.type = "button";
    button.addEventListener("click", function () { act(action); });
    return button;
  }

  /* A Flex bubble or template column as a simple card: its texts, images and buttons. */
  function card(node, altText) {
    var box = el("div", "bubble fcard"), body = el("div", "card-body"), buttons = el("div", "actions-list");
    if (altText) { body.appendChild(el("p", "alt", T.altText + " " + altText)); }
    (function walk(part, depth) {
      if (!part || typeof part !== "object") { return; }
      if (Array.isArray(part)) { part.forEach(function (p) { walk(p, depth); }); return; }
      if (part.type === "text" && (part.text || part.contents)) {
        var text = part.text || (part.contents || []).map(function (s) { return s.text || ""; }).join("");
        body.appendChild(el("p", part.weight === "bold" ? "strong" : "", text));
      } else if (part.type === "image" && part.url) {
        var img = el("img"); img.src = part.url; img.alt = ""; body.appendChild(img);
      } else if (part.type === "button" && part.action) {
        buttons.appendChild(actionButton(part.action)); return;
      }
      ["header", "hero", "body", "footer", "contents"].forEach(function (key) {
        if (part[key] && typeof part[key] === "object") { walk(part[key], depth + 1); }
      });
    })(node, 0);
    if (node.title) { body.insertBefore(el("p", "strong", node.title), body.firstChild); }
    if (node.text && node.type !== "text") { body.appendChild(el("p", "", node.text)); }
    (node.actions || []).forEach(function (a) { buttons.appendChild(actionButton(a)); });
    box.appendChild(body);
    if (buttons.childNodes.length) { box.appendChild(buttons); }
    return box;
  }

  function botBubble(message) {
    if (message.type === "text") { return el("div", "bubble", message.text); }
    if (message.type === "image") {
      var box = el("div", "bubble"), img = el("img");
      img.src = message.previewImageUrl; img.alt = T.image; box.appendChild(img);
      return box;
    }
    if (message.type === "sticker") { return el("div", "bubble", T.sticker); }
    if (message.type === "flex" || message.type === "template") {
      var content = message.type === "flex" ? message.contents : message.template;
      var many = content.type === "carousel" ? (content.contents || content.columns) : null;
      if (!many) { return card(content, message.altText); }
      var row = el("div", "carousel");
      many.forEach(function (part, i) { row.appendChild(card(part, i === 0 ? message.altText : "")); });
      return row;
    }
    return el("div", "bubble note", T.unsupported + " (" + message.type + ")");
  }

  function userBubble(entry) {
    var text = entry.text || (entry.kind === "postback" ? T.postback + ": " + entry.event.postback.data : "");
    var bubble = el("div", entry.kind === "message" || entry.kind === "image" || entry.kind === "sticker" ||
      (entry.kind === "postback" && entry.text) ? "bubble" : "bubble note", text);
    var hook = entry.webhook;
    if (hook && hook.status !== 200) {
      bubble.appendChild(el("span", "meta bad", T.webhook + " " + (hook.status || hook.error)));
    }
    return bubble;
  }

  function renderChat(messages) {
    chatList.textContent = "";
    quick.textContent = "";
    var quickItems = null;
    messages.forEach(function (entry, index) {
      if (entry.via === "loading") {
        if (index === messages.length - 1) { chatList.appendChild(wrap(el("div", "bubble note", T.typing), "bot")); }
        return;
      }
      if (entry.direction === "user") {
        chatList.appendChild(wrap(userBubble(entry), "user"));
        quickItems = null;
        return;
      }
      var bubble = botBubble(entry.message);
      if (!entry.delivered) {
        bubble.classList.add("faded");
        bubble.appendChild(el("span", "meta", T.notDelivered));
      }
      chatList.appendChild(wrap(bubble, "bot"));
      quickItems = entry.message.quickReply ? entry.message.quickReply.items : null;
    });
    (quickItems || []).forEach(function (item) { quick.appendChild(actionButton(item.action)); });
    chatList.scrollTop = chatList.scrollHeight;
  }

  function wrap(node, who) {
    var li = el("li", who);
    li.appendChild(node);
    return li;
  }

  function renderMenu(menu) {
    var key = menu ? menu.richMenuId : "";
    if (key === lastMenu) { return; }
    lastMenu = key;
    menuBox.textContent = "";
    $("sim-menu-toggle").textContent = (menu ? menu.chatBarText : T.menu) + " ▾";
    if (!menu) { menuBox.appendChild(el("p", "empty", T.noMenu)); return; }
    var img = el("img");
    img.src = API + "richmenu/" + menu.richMenuId + ".img";
    img.alt = "";
    menuBox.appendChild(img);
    menu.areas.forEach(function (area) {
      var b = area.bounds, button = el("button", "area");
      button.type = "button";
      button.setAttribute("aria-label", area.action.label || area.action.displayText || area.action.uri || "");
      button.style.left = (100 * b.x / menu.size.width) + "%";
      button.style.top = (100 * b.y / menu.size.height) + "%";
      button.style.width = (100 * b.width / menu.size.width) + "%";
      button.style.height = (100 * b.height / menu.size.height) + "%";
      button.addEventListener("click", function () { act(area.action); });
      menuBox.appendChild(button);
    });
  }

  function poll() {
    if (!current) { return; }
    call("GET", "chats?user=" + encodeURIComponent(current)).then(function (chat) {
      var snapshot = JSON.stringify(chat.messages);
      if (snapshot !== lastRendered) { lastRendered = snapshot; renderChat(chat.messages); }
      renderMenu(chat.richMenu);
    }).catch(function (error) { status(error.message, true); });
  }

  function choose(userId) {
    current = userId || null;
    lastRendered = ""; lastMenu = null;
    if (current) {
      userSelect.value = current;
      window.localStorage.setItem("lineSimUser", current);
      history.replaceState(null, "", "?user=" + encodeURIComponent(current));
    }
    chatList.textContent = "";
    poll();
  }

  function loadUsers(selected) {
    return call("GET", "users").then(function (users) {
      userSelect.textContent = "";
      users.forEach(function (u) {
        var option = el("option", "", u.displayName + " (" + u.userId.slice(0, 9) + "…)");
        option.value = u.userId;
        userSelect.appendChild(option);
      });
      if (!users.length) { status(T.noUsers); return; }
      var wanted = selected || new URLSearchParams(location.search).get("user") ||
        window.localStorage.getItem("lineSimUser");
      var known = users.some(function (u) { return u.userId === wanted; });
      choose(known ? wanted : users[users.length - 1].userId);
    }).catch(function (error) { status(error.message, true); });
  }

  userSelect.addEventListener("change", function () { choose(userSelect.value); });
  $("sim-new-user").addEventListener("submit", function (e) {
    e.preventDefault();
    call("POST", "users", { displayName: $("sim-new-name").value }).then(function (user) {
      $("sim-new-name").value = "";
      return loadUsers(user.userId).then(function () { return send({ type: "follow" }); });
    }).catch(function (error) { status(error.message, true); });
  });
  $("sim-follow").addEventListener("click", function () { send({ type: "follow", isUnblocked: true }); });
  $("sim-unfollow").addEventListener("click", function () { send({ type: "unfollow" }); });
  $("sim-compose").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $("sim-text"), text = input.value;
    if (!text.trim()) { return; }
    send({ type: "message", text: text }).then(function (sent) { if (sent) { input.value = ""; } });
  });
  /* A picture from the "phone": sent as LINE sends one (the stand-in keeps the bytes for the
     content API). Big photos are scaled down first so the request stays under the site's
     upload limit. */
  var MAX_IMAGE_BYTES = 3 * 1024 * 1024;
  var STICKERS = [["446", "1988"], ["446", "1989"], ["446", "1990"], ["789", "10855"]];
  var stickerTurn = 0;

  function asBase64(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(",")[1] || ""); };
      reader.onerror = function () { reject(new Error(T.readFailed)); };
      reader.readAsDataURL(blob);
    });
  }

  function smaller(file) {
    if (file.size <= MAX_IMAGE_BYTES) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    });
  }

  $("sim-image").addEventListener("change", function () {
    var input = this, file = input.files && input.files[0];
    if (!file) { return; }
    if (!/^image\//.test(file.type)) { status(T.notImage, true); input.value = ""; return; }
    smaller(file).then(function (blob) {
      return asBase64(blob).then(function (data) {
        return send({ type: "image", image: data, contentType: blob.type || "image/jpeg" });
      });
    }).catch(function (error) { status(error.message || T.readFailed, true); })
      .then(function () { input.value = ""; });
  });
  $("sim-sticker").addEventListener("click", function () {
    var sticker = STICKERS[stickerTurn++ % STICKERS.length];
    send({ type: "sticker", packageId: sticker[0], stickerId: sticker[1] });
  });
  $("sim-menu-toggle").addEventListener("click", function () {
    var open = menuBox.hidden;
    menuBox.hidden = !open;
    this.setAttribute("aria-expanded", String(open));
  });

  loadUsers();
  window.setInterval(poll, 1000);
})();
