// The case page (issue 16 item 5): long notes are folded in <details>; printing opens every one, and closes
// again those that were closed, so the printed page holds every word (the print style sheet does the same
// where the browser supports ::details-content).
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (details) {
      details.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
}());
