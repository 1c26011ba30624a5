// Date fields: the browser's own picker shows its own format (mm/dd/yyyy in an English browser,
// whatever the page's lang="vi"), so each field says the chosen date beside it in Vietnamese
// order, dd/mm/yyyy. Without JavaScript the picker works as before; nothing is rebuilt.
(function () {
  "use strict";
  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  function echo(input) {
    var out = document.getElementById(input.id + "-vn");
    if (!out) return;
    var found = ISO.exec(input.value);
    out.textContent = found ? "Ngày đã chọn: " + found[3] + "/" + found[2] + "/" + found[1] : "";
  }
  function prepare(root) {
    root.querySelectorAll('input[type="date"]').forEach(function (input) {
      if (input.dataset.vnDate) return;
      input.dataset.vnDate = "1";
      if (!input.id) input.id = "date-" + Math.random().toString(36).slice(2);
      var out = document.createElement("span");
      out.id = input.id + "-vn";
      out.className = "date-vn";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
      input.addEventListener("input", function () { echo(input); });
      input.addEventListener("change", function () { echo(input); });
      echo(input);
    });
  }
  prepare(document);
  document.addEventListener("htmx:afterSwap", function (event) { prepare(event.target); });
})();
