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
      // The lists are in the page: filter on every key. With tom-select's default 300 ms throttle, a choice
      // clicked within 300 ms of typing was followed by the late search, which opened the list again.
      refreshThrottle: 0,
      closeAfterSelect: !multiple,  // a single choice is made: the list closes (a multiple one stays for more)
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

  // A dependent picker (the subdivision after the country) gets the new country's names from the API.
  function dependent(select, picker) {
    var parent = document.getElementById(select.dataset.pickerDependsOn);
    if (!parent) return;
    var source = select.dataset.pickerSource;
    var param = select.dataset.pickerParam;
    var emptyOption = select.querySelector("option[value='']");
    var emptyText = emptyOption ? emptyOption.textContent : "";
    var shownFor = parent.value;  // the country whose subdivisions are listed

    function fill(rows) {
      picker.clear(true);
      picker.clearOptions();
      picker.addOption({ value: "", text: emptyText });
      rows.forEach(function (row) { picker.addOption({ value: row.code, text: row.name }); });
      // The reader may have typed while the list was loading: search again with what is typed.
      picker.lastQuery = null;
      picker.refreshOptions(picker.isFocused);
    }

    parent.addEventListener("change", function () {
      var value = parent.value;
      // The country's picker also reports "change" when it loses focus: only a new country reloads the list.
      if (value === shownFor) return;
      shownFor = value;
      if (!value) { fill([]); return; }
      fetch(source + "?" + encodeURIComponent(param) + "=" + encodeURIComponent(value), {
        headers: { Accept: "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) { if (parent.value === value) fill(rows); });
    });
  }

  // tom-select points the field's <label> at its own text box; the hidden select it keeps for the form
  // must still be named for assistive technology, so it is labelled by the same <label>.
  function keepLabel(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (!label) return;
    if (!label.id) label.id = select.id + "-label";
    select.setAttribute("aria-labelledby", label.id);
  }

  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    keepLabel(select);
    var picker = new window.TomSelect(select, options(select));
    if (select.dataset.pickerDependsOn) dependent(select, picker);
  });
})();
