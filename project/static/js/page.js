// Behaviour every page shares. (1) Ask before an irreversible step: a form with data-confirm asks that
// question when it is sent; data-confirm-choice names the radio group whose chosen label ends the question.
// (2) A button with data-print prints the page (the print style sheet leaves out navigation and forms).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) { return; }
    var question = form.dataset.confirm;
    var group = form.dataset.confirmChoice;
    if (group) {
      var chosen = form.querySelector('input[name="' + group + '"]:checked');
      var label = chosen && form.querySelector('label[for="' + chosen.id + '"]');
      if (!chosen) { return; }  // nothing chosen: the server says what is missing
      question = question + " " + (label ? label.textContent.trim() : chosen.value) + "?";
    }
    if (!window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) { window.print(); }
  });
}());
