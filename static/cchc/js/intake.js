// Counter intake: show only the chosen procedure's checklist. A hidden list is also disabled,
// so its boxes are never sent; without JavaScript the server shows the posted procedure's list.
(function () {
  "use strict";
  var select = document.getElementById("id_procedure");
  if (!select) return;
  function show() {
    var chosen = select.value;
    document.querySelectorAll("fieldset.checklist").forEach(function (set) {
      var on = set.dataset.procedure === chosen;
      set.hidden = !on;
      set.disabled = !on;
    });
    var empty = document.getElementById("checklist-empty");
    if (empty) empty.hidden = Boolean(chosen);
  }
  select.addEventListener("change", show);
  show();
})();
