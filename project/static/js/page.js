// Behaviour every page shares: a button with data-print prints the page (the print style sheet leaves out
// navigation and forms). Irreversible steps ask on a page of their own, after the server's checks (issue 16),
// so no browser dialog is raised here.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) { window.print(); }
  });
}());
