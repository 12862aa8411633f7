// While a packet renders, say so instead of leaving a frozen page; re-enable the button once the
// download has started (the browser keeps the page, since the answer is a file).
document.querySelectorAll("form.packet-form").forEach(function (form) {
  form.addEventListener("submit", function () {
    var note = document.getElementById(form.dataset.progress);
    var button = form.querySelector("button[type=submit]");
    if (note) { note.hidden = false; }
    if (button) {
      button.disabled = true;
      window.setTimeout(function () { button.disabled = false; }, 15000);
    }
  });
});
