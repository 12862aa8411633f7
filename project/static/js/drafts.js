// Issue 16, item 4: text typed into a form survives a timeout and a new sign-in.
// A form marked data-draft="<case>:<form>" keeps its text fields in localStorage under
// "casefile-draft:<user id>:<case>:<form>", written as you type. Shown again (after a refusal, a reload or a new
// sign-in), the form gets the text back, with a note saying when it was typed and a Discard button.
// A draft is deleted only when the server has accepted the form: the form sends the draft's name as draft_key,
// and the page after a successful save lists it in data-drafts-saved on <body>. A failed save keeps the draft.
// Never kept: passwords, hidden fields, files, one-time codes. Drafts are keyed by user id, so another person
// signing in on the same browser never sees them; they stay on this computer until saved, discarded or
// DRAFT_DAYS old (a shared workstation's browser profile holds them meanwhile).
(function () {
  "use strict";
  var PREFIX = "casefile-draft:";
  var DRAFT_DAYS = 30;
  var SECRET = /password|passwd|secret|token|recovery|^code$|^otp$|^confirm$/i;
  var TEXT_TYPES = ["text", "search", "url", "email", "number", "tel", "date", "datetime-local", "time"];
  var user = document.body.dataset.user;
  var store;
  try { store = window.localStorage; } catch (ignored) { return; }
  if (!store || !user) { return; }

  function forget(name) { try { store.removeItem(PREFIX + user + ":" + name); } catch (ignored) { /* none */ } }

  function purgeOld() {
    var oldest = Date.now() - DRAFT_DAYS * 24 * 3600 * 1000;
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) { continue; }
      try {
        if (!(JSON.parse(store.getItem(key)).saved_at > oldest)) { store.removeItem(key); }
      } catch (broken) { store.removeItem(key); }
    }
  }

  function kept(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.hasAttribute("data-draft-skip") || SECRET.test(element.name)) {
        return false;
      }
      if (/one-time-code|password/.test(element.getAttribute("autocomplete") || "")) { return false; }
      if (element instanceof HTMLTextAreaElement) { return true; }
      return element instanceof HTMLInputElement && TEXT_TYPES.indexOf(element.type) !== -1;
    });
  }

  function values(form) {
    var fields = {};
    kept(form).forEach(function (element) {
      (fields[element.name] = fields[element.name] || []).push(element.value);
    });
    return fields;
  }

  function save(form) {
    var fields = values(form);
    var typed = Object.keys(fields).some(function (name) {
      return fields[name].some(function (value) { return value.trim() !== ""; });
    });
    try {
      if (typed) {
        store.setItem(form.dataset.draftStorageKey, JSON.stringify({ saved_at: Date.now(), fields: fields }));
      } else {
        store.removeItem(form.dataset.draftStorageKey);
      }
    } catch (full) { /* storage full or refused: the form itself still works */ }
  }

  function note(form, draft, originals) {
    var box = document.createElement("div");
    box.className = "draft-note";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    var when = new Date(draft.saved_at);
    var time = document.createElement("time");
    time.dateTime = when.toISOString();
    time.textContent = when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    text.append("Restored your unsaved text from ", time, ".");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = "Discard";
    discard.addEventListener("click", function () {
      originals.forEach(function (pair) { pair[0].value = pair[1]; });
      store.removeItem(form.dataset.draftStorageKey);
      text.textContent = "The restored text was discarded.";
      discard.remove();
      if (originals.length) { originals[0][0].focus(); }
    });
    box.append(text, discard);
    form.prepend(box);
  }

  function restore(form) {
    var draft;
    try { draft = JSON.parse(store.getItem(form.dataset.draftStorageKey) || "null"); } catch (broken) { draft = null; }
    if (!draft || !draft.fields) { return; }
    var seen = {};
    var originals = [];
    kept(form).forEach(function (element) {
      var index = seen[element.name] = (seen[element.name] === undefined ? 0 : seen[element.name] + 1);
      var typed = (draft.fields[element.name] || [])[index];
      if (typeof typed === "string" && typed !== element.value) {
        originals.push([element, element.value]);
        element.value = typed;
      }
    });
    if (originals.length) { note(form, draft, originals); }
  }

  function watch(form) {
    form.dataset.draftStorageKey = PREFIX + user + ":" + form.dataset.draft;
    restore(form);
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(form); }, 300);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      save(form);
      var mark = form.querySelector('input[name="draft_key"]');
      if (!mark) {
        mark = document.createElement("input");
        mark.type = "hidden";
        mark.name = "draft_key";
        form.append(mark);
      }
      mark.value = form.dataset.draft;
    });
    window.addEventListener("pagehide", function () { if (timer) { save(form); } });
  }

  (document.body.dataset.draftsSaved || "").split(" ").forEach(function (name) { if (name) { forget(name); } });
  purgeOld();
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), watch);
}());
