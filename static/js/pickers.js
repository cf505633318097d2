// Searchable pickers (tom-select) for the selects marked data-picker by portal/core/widgets.py.
// Without this script they are ordinary selects; with it the reader types a name and picks it.
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") return;

  function options(select) {
    var multiple = select.multiple;
    return {
      plugins: multiple ? ["remove_button"] : [],
      maxOptions: null,
      allowEmptyOption: !multiple,
      placeholder: select.dataset.pickerPlaceholder || "",
      searchField: ["text"],
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = select.dataset.pickerEmpty || "";
          return div;
        }
      },
      onItemAdd: function () { if (multiple) this.setTextboxValue(""); }
    };
  }

  function dependent(select, picker) {
    var parent = document.getElementById(select.dataset.pickerDependsOn);
    if (!parent) return;
    var source = select.dataset.pickerSource;
    var param = select.dataset.pickerParam;
    var emptyOption = select.querySelector("option[value='']");
    var emptyText = emptyOption ? emptyOption.textContent : "";
    parent.addEventListener("change", function () {
      var value = parent.value;
      picker.clear(true);
      picker.clearOptions();
      picker.addOption({ value: "", text: emptyText });
      if (!value) { picker.refreshOptions(false); return; }
      fetch(source + "?" + encodeURIComponent(param) + "=" + encodeURIComponent(value), {
        headers: { Accept: "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          rows.forEach(function (row) { picker.addOption({ value: row.code, text: row.name }); });
          picker.refreshOptions(false);
        });
    });
  }

  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var picker = new window.TomSelect(select, options(select));
    if (select.dataset.pickerDependsOn) dependent(select, picker);
  });
})();
