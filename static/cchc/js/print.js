// Print buttons: the Content-Security-Policy (script-src 'self') refuses inline handlers such as
// onclick="window.print()", so a button says data-print and this one listener prints the page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });
})();
