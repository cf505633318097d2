// Behaviour shared by every page, attached by data attributes (the Content-Security-Policy forbids inline code).
//   <select data-autosubmit>      submits its form when the choice changes (language switcher).
//   <button data-print>           opens the browser's print dialogue (printable reports).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
})();
