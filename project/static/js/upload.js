// Issue 16, item 6: a file chooser with data-max-bytes checks the chosen file's size before anything is sent,
// so a file over the limit is named at once instead of after a long upload. The server checks it again.
// Issue 17, item 3: audio and video have limits of their own (data-max-audio-bytes, data-max-video-bytes);
// the browser's type or the name's extension picks one here, only as a hint: the server reads the bytes.
(function () {
  "use strict";
  var MB = 1024 * 1024;

  function megabytes(bytes) {
    var figure = (bytes / MB).toFixed(1);
    return (figure.slice(-2) === ".0" ? figure.slice(0, -2) : figure) + " MB";
  }

  function errorFor(input) {
    var id = input.id + "-size-error";
    var error = document.getElementById(id);
    if (!error) {
      error = document.createElement("p");
      error.id = id;
      error.className = "error";
      error.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", error);
    }
    return error;
  }

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) { ids.push(id); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  var AUDIO = /\.(mp3|m4a|wav)$/i;
  var VIDEO = /\.(mp4|mov)$/i;

  // The limit for the chosen file's kind: [bytes, as the page words it, "one exhibit" or the kind].
  function limitFor(input, file) {
    var type = (file && file.type) || "";
    var name = (file && file.name) || "";
    if (input.dataset.maxAudioBytes && (type.indexOf("audio/") === 0 || AUDIO.test(name))) {
      return [Number(input.dataset.maxAudioBytes), input.dataset.audioLimit, "an audio recording"];
    }
    if (input.dataset.maxVideoBytes && (type.indexOf("video/") === 0 || VIDEO.test(name))) {
      return [Number(input.dataset.maxVideoBytes), input.dataset.videoLimit, "a video"];
    }
    return [Number(input.dataset.maxBytes), input.dataset.limit, "one exhibit"];
  }

  // True when the chosen file is within the limit (or none is chosen); otherwise shows why not.
  function check(input) {
    var file = input.files && input.files[0];
    var rule = limitFor(input, file);
    var limit = rule[0];
    var id = input.id + "-size-error";
    var field = input.closest(".field");
    if (!file || !limit || file.size <= limit) {
      var old = document.getElementById(id);
      if (old) { old.remove(); }
      describedBy(input, id, false);
      if (!document.getElementById(input.id + "-error")) {
        input.removeAttribute("aria-invalid");
        if (field) { field.classList.remove("has-error"); }
      }
      return true;
    }
    errorFor(input).textContent = "This file is " + megabytes(file.size) + ": the limit is " +
      (rule[1] || megabytes(limit)) + " for " + rule[2] + ". Choose a smaller file or export it at lower resolution.";
    input.setAttribute("aria-invalid", "true");
    describedBy(input, id, true);
    if (field) { field.classList.add("has-error"); }
    return false;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.maxBytes) { check(input); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var inputs = form.querySelectorAll('input[type="file"][data-max-bytes]');
    for (var i = 0; i < inputs.length; i += 1) {
      if (!check(inputs[i])) {
        event.preventDefault();
        event.stopImmediatePropagation();  // no confirmation question for a form that will not be sent
        inputs[i].focus();
        return;
      }
    }
  }, true);
}());
