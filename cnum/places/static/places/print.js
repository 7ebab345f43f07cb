/*
 * « Imprimer la fiche »: shown only with JavaScript (without it, the browser's own print
 * command prints the same sheet, thanks to the print stylesheet).
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (item) {
    item.hidden = false;
    item.querySelector("button").addEventListener("click", function () {
      window.print();
    });
  });
})();
