// Page behaviour that would otherwise be inline handlers, which the Content-Security-Policy forbids
// (script-src 'self': no onchange="", no onclick="", no javascript: links).
//   <select data-autosubmit>              submits its form when changed
//   <select data-autosubmit data-clear="as_of">  first empties the named field of the form
//   <button data-confirm="…">              asks before submitting
//   <a data-back href="…">                 goes back in history, or follows href when there is none
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-autosubmit]") || !field.form) { return; }
    if (field.dataset.clear && field.form.elements[field.dataset.clear]) {
      field.form.elements[field.dataset.clear].value = "";
    }
    field.form.submit();
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm], [data-back]") : null;
    if (!target) { return; }
    if (target.dataset.confirm !== undefined && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
    if (target.dataset.back !== undefined && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
