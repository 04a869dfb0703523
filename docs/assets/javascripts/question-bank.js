/*
 * Filters the question bank table (docs/practice/question-bank.md) by domain
 * and difficulty. The table is complete without this script; the script only
 * shows the form and hides the rows that do not match, and says how many do.
 * Added to that page only, by overrides/hooks/question_bank.py.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.question-filter");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-domain][data-difficulty]"));
  if (!form || !rows.length) return;
  var count = form.querySelector(".question-count");

  function apply() {
    var domain = form.elements.domain.value;
    var difficulty = form.elements.difficulty.value;
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!domain || row.getAttribute("data-domain") === domain) &&
                  (!difficulty || row.getAttribute("data-difficulty") === difficulty);
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown === rows.length ? rows.length + " prompts" : shown + " of " + rows.length + " prompts";
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
