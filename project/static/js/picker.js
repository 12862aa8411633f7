// The employee picker: a roster search form (form.subject-picker) that answers as you type. The form works
// without this script (it lists the matches on a page of their own); with it, the matches appear under the
// box while typing, each a link to the page that confirms who will be linked. The address to ask comes from
// the form's data-roster-url; every text is put in with textContent, never as markup.
(function () {
  "use strict";
  var WAIT_MS = 200;
  var MIN_CHARACTERS = 2;

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    var results = form.querySelector("[data-picker-results]");
    if (!input || !results || !window.fetch) { return; }
    var timer = null;
    var asked = 0;

    function say(message) {
      results.textContent = "";
      var line = document.createElement("p");
      line.className = "picker-status";
      line.textContent = message;
      results.appendChild(line);
    }

    function show(answer, typed) {
      results.textContent = "";
      var count = answer.employees.length;
      var status = document.createElement("p");
      status.className = "picker-status";
      status.textContent = count === 0
        ? "No employee on the roster matches \u201c" + typed + "\u201d."
        : (answer.more ? "The first " + count + " matches (type more to narrow them):"
          : count + (count === 1 ? " employee matches:" : " employees match:"));
      results.appendChild(status);
      if (count === 0) { return; }
      var list = document.createElement("ul");
      list.className = "employee-matches";
      answer.employees.forEach(function (employee) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = employee.confirm_url;
        link.textContent = employee.name;
        item.appendChild(link);
        var about = employee.number + " \u00b7 " + employee.title + ", " + employee.facility;
        if (employee.status !== "active") { about += " (" + employee.status + ")"; }
        item.appendChild(document.createTextNode(" \u00b7 " + about));
        list.appendChild(item);
      });
      results.appendChild(list);
    }

    function ask() {
      var typed = input.value.trim();
      var mine = ++asked;
      if (typed.length < MIN_CHARACTERS) { results.textContent = ""; return; }
      var url = form.dataset.rosterUrl + "?q=" + encodeURIComponent(typed);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          var json = response.ok && (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!json) { throw new Error("not an answer"); }
          return response.json();
        })
        .then(function (answer) { if (mine === asked) { show(answer, typed); } })
        .catch(function () {
          if (mine === asked) { say("The roster could not be searched as you type (are you still signed in?). Press \u201cSearch the roster\u201d."); }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(results.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      } else if (event.key === "Escape") {
        results.textContent = "";
        input.focus();
      }
    });
  }

  document.querySelectorAll("form.subject-picker[data-roster-url]").forEach(enhance);
}());
