// The response explainer: after a form with problems comes back, move focus to the list
// of problems so it is read first; a link in that list then focuses its field with the
// field's question in view. The form works the same without this file.
(() => {
  "use strict";

  const summary = document.querySelector("[data-explainer-errors]");
  if (!summary) {
    return;
  }
  // Scroll at once, then focus without scrolling: a smooth scroll started by focus()
  // would still be moving the page when a reader follows a link in the list.
  summary.scrollIntoView({ block: "start", behavior: "instant" });
  summary.focus({ preventScroll: true });
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    const question = field.closest("fieldset.explainer-question, .explainer-field") || field;
    question.scrollIntoView({ block: "start", behavior: "instant" });
    field.focus({ preventScroll: true });
  });
})();
