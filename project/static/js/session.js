// Issue 16, item 4: a warning before the idle sign-out, with "Stay signed in".
// The page says how many seconds its session has left (data-session-seconds-left on <body>, from the server's own
// deadline, which the 12-hour limit from sign-in caps); the warning shows data-session-warn-seconds before that.
// "Stay signed in" posts to data-keep-alive-url (with the CSRF token) and learns the new deadline. Tabs share the
// latest deadline through localStorage, so one tab's "Stay signed in" or page load counts for all.
(function () {
  "use strict";
  var body = document.body;
  var data = body.dataset;
  if (!data.sessionSecondsLeft || !data.keepAliveUrl) { return; }
  var warnMs = Number(data.sessionWarnSeconds || 120) * 1000;
  var shared = "casefile-session-end:" + (data.user || "");
  var deadline = Date.now() + Number(data.sessionSecondsLeft) * 1000;
  var state = "quiet";  // quiet | warning | ended
  var panel, heading, message, countdown, stay, signIn;

  function remember() {
    try { window.localStorage.setItem(shared, String(deadline)); } catch (ignored) { /* private mode */ }
  }

  function build() {
    panel = document.createElement("section");
    panel.className = "session-warning";
    panel.id = "session-warning";
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-labelledby", "session-warning-h");
    panel.setAttribute("aria-describedby", "session-warning-msg");
    panel.hidden = true;
    heading = document.createElement("h2");
    heading.id = "session-warning-h";
    message = document.createElement("p");
    message.id = "session-warning-msg";
    message.setAttribute("role", "alert");
    countdown = document.createElement("p");
    countdown.className = "countdown";
    stay = document.createElement("button");
    stay.type = "button";
    stay.className = "primary";
    stay.textContent = "Stay signed in";
    stay.addEventListener("click", keepAlive);
    signIn = document.createElement("a");
    signIn.className = "button";
    signIn.textContent = "Sign in again";
    signIn.hidden = true;
    panel.append(heading, message, countdown, stay, signIn);
    body.append(panel);
  }

  function clockText(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function typing() {
    var active = document.activeElement;
    return active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement || active instanceof HTMLSelectElement;
  }

  function showWarning() {
    state = "warning";
    heading.textContent = "You will be signed out soon";
    var minutes = Math.round((deadline - Date.now()) / 60000);
    message.textContent = "Nothing has been sent to the server for a while, so you will be signed out in " +
      (minutes <= 1 ? "about a minute" : "about " + minutes + " minutes") + ". Text you typed is kept in this browser.";
    stay.hidden = false;
    stay.disabled = false;
    signIn.hidden = true;
    panel.hidden = false;
    if (!typing()) { stay.focus(); }  // never take the keyboard from someone typing
  }

  function showEnded() {
    state = "ended";
    heading.textContent = "Your session has ended";
    message.textContent = "You were signed out after a time without activity. The text you typed is kept in this " +
      "browser: sign in again and it is restored on this page.";
    countdown.textContent = "";
    stay.hidden = true;
    signIn.href = data.signInUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    signIn.hidden = false;
    panel.hidden = false;
  }

  function hide() {
    state = "quiet";
    var hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    message.textContent = "";
    var main = document.getElementById("main");
    if (hadFocus && main) { main.tabIndex = -1; main.focus({ preventScroll: true }); }
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      if (state !== "ended") { showEnded(); }
      return;
    }
    if (left <= warnMs) {
      if (state === "quiet") { showWarning(); }
      countdown.textContent = "Time left: " + clockText(left);
    } else if (state !== "quiet") {
      hide();
    }
  }

  function keepAlive() {
    stay.disabled = true;
    fetch(data.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) { deadline = Date.now(); remember(); tick(); return null; }
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (answer) {
      if (!answer) { return; }
      deadline = Date.now() + answer.seconds_left * 1000;
      remember();
      if (deadline - Date.now() <= warnMs) {
        // The 12-hour limit from sign-in is near: it cannot be moved.
        message.textContent = "Your session reaches its limit since sign-in and cannot be extended. Save your work " +
          "and sign in again. Text you typed is kept in this browser.";
        stay.hidden = true;
        return;
      }
      hide();
    }).catch(function () {
      stay.disabled = false;
      message.textContent = "The server could not be reached. Check the connection and press Stay signed in again.";
    });
  }

  build();
  remember();
  window.addEventListener("storage", function (event) {
    if (event.key === shared && event.newValue) { deadline = Number(event.newValue); tick(); }
  });
  window.setInterval(tick, 1000);
  tick();
}());
