// Optional session-timeout warning and draft keeping. Without this script nothing breaks:
// the server still ends the session after the idle and absolute limits, with a message.
//
// - Two minutes (data-warning) before the session ends, an alert dialog says so and offers
//   "Fortsett", which posts to the keep-alive endpoint (with the CSRF token) and restarts
//   the idle time. Focus moves to the button and back again afterwards.
// - Text areas with data-draft-key (the practice task) are kept in localStorage while
//   being written and put back into an empty text area after a new login.
// - Every text comes from the meta's data-* attributes, in the reader's written standard.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="session-timeout"]');
  if (!meta || !window.fetch || !window.FormData) { return; }
  var warning = parseInt(meta.getAttribute("data-warning"), 10) || 120;
  var keepAliveUrl = meta.getAttribute("data-keepalive");
  var deadline = Date.now() + parseInt(meta.getAttribute("content"), 10) * 1000;
  function label(name) { return meta.getAttribute("data-" + name) || ""; }
  var dialog = null;
  var returnFocus = null;
  var timer = null;

  function csrfToken() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function minutesLeft() {
    return Math.max(1, Math.ceil((deadline - Date.now()) / 60000));
  }

  function buildDialog() {
    dialog = document.createElement("div");
    dialog.className = "session-warning";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "false");
    dialog.setAttribute("aria-labelledby", "session-warning-title");
    dialog.setAttribute("aria-describedby", "session-warning-text");
    dialog.hidden = true;
    var title = document.createElement("h2");
    title.id = "session-warning-title";
    title.tabIndex = -1;
    title.textContent = label("title");
    var text = document.createElement("p");
    text.id = "session-warning-text";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = label("continue");
    button.addEventListener("click", keepAlive);
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(button);
    document.body.appendChild(dialog);
  }

  function show(message, canContinue) {
    if (!dialog) { buildDialog(); }
    dialog.querySelector("p").textContent = message;
    var button = dialog.querySelector("button");
    button.hidden = !canContinue;
    if (dialog.hidden) {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      (canContinue ? button : dialog.querySelector("h2")).focus();
    }
  }

  function hide() {
    if (!dialog || dialog.hidden) { return; }
    dialog.hidden = true;
    if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
  }

  function schedule() {
    window.clearTimeout(timer);
    var untilWarning = deadline - warning * 1000 - Date.now();
    if (untilWarning > 0) {
      timer = window.setTimeout(schedule, Math.min(untilWarning, 60000));
      return;
    }
    if (Date.now() >= deadline) {
      // The server ends the session and shows why; drafts are already kept.
      window.location.reload();
      return;
    }
    show(label("warning-text").replace("{minutes}", String(minutesLeft())), true);
    timer = window.setTimeout(schedule, 15000);
  }

  function keepAlive() {
    var data = new FormData();
    data.append("csrf_token", csrfToken());
    fetch(keepAliveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { window.location.reload(); return; }
        deadline = Date.now() + body.seconds_left * 1000;
        if (body.seconds_left <= warning) {
          show(label("limit-text"), false);
        } else {
          hide();
        }
        schedule();
      });
    }).catch(function () {
      show(label("offline-text"), true);
    });
  }

  // --- drafts of long texts --------------------------------------------------------
  function draftName(area) { return "draft:" + area.getAttribute("data-draft-key"); }

  document.querySelectorAll("textarea[data-draft-key]").forEach(function (area) {
    var stored = null;
    try { stored = window.localStorage.getItem(draftName(area)); } catch (e) { return; }
    if (stored && !area.value.trim()) {
      area.value = stored;
      var note = document.createElement("p");
      note.className = "hint";
      note.setAttribute("role", "status");
      note.textContent = label("draft-text");
      area.parentNode.insertBefore(note, area);
    }
    area.addEventListener("input", function () {
      try { window.localStorage.setItem(draftName(area), area.value); } catch (e) { /* full */ }
    });
    if (area.form) {
      area.form.addEventListener("submit", function () {
        // Only a live session reaches the form's view; keep the draft otherwise.
        if (Date.now() < deadline) {
          try { window.localStorage.removeItem(draftName(area)); } catch (e) { /* ignore */ }
        }
      });
    }
  });

  schedule();
}());
