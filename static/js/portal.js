// Behaviour shared by every page, attached by data attributes (the Content-Security-Policy forbids inline code).
//   <select data-autosubmit>      submits its form when the choice changes (language switcher).
//   <button data-print>           opens the browser's print dialogue (printable reports).
//   .nav-toggle                   folds and unfolds the main menu on narrow screens (under 768 px).
//   main table                    too wide on a phone: cards if it has headings, else scrolls in its box (keyboard-reachable).
//   form .errorlist               a summary of the form's errors at its top, each linked to its field.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
    var errorLink = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (errorLink) {
      var field = document.getElementById(errorLink.getAttribute("href").slice(1));
      if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
    }
    var toggle = event.target.closest && event.target.closest(".nav-toggle");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (nav) nav.classList.toggle("open", open);
    }
  });

  // On a phone every table with column headings reads as a list of cards: each cell is labelled with its
  // column's heading (CSS shows the label before the value under 768 px).
  function labelTableCells() {
    document.querySelectorAll("main table").forEach(function (table) {
      var headRow = table.tHead && table.tHead.rows[0];
      if (!headRow) return;
      var labels = [];
      Array.prototype.forEach.call(headRow.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
      });
      var bodies = Array.prototype.slice.call(table.tBodies);
      if (table.tFoot) bodies.push(table.tFoot);
      bodies.forEach(function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (labels[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[column]);
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  // A table too wide for its box: on a phone, cards when it has column headings; otherwise it scrolls inside
  // its box, which the keyboard can reach. Narrow tables (bars, figures) stay tables.
  function fitTables() {
    var phone = window.matchMedia("(max-width: 767.98px)").matches;
    document.querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      var scroller = box.classList.contains("table-wrap") ? box : table;
      table.classList.remove("cards", "scrolls");
      if (scroller.hasAttribute("data-scrolls")) { scroller.removeAttribute("tabindex"); scroller.removeAttribute("data-scrolls"); }
      if (phone) table.classList.add("measuring");  // on a phone: would the columns fit with words unbroken?
      var tooWide = table.offsetWidth > box.clientWidth + 1;
      table.classList.remove("measuring");
      if (!tooWide) return;
      if (phone && table.tHead) { table.classList.add("cards"); return; }
      if (scroller === table) table.classList.add("scrolls");
      if (!scroller.hasAttribute("tabindex")) { scroller.setAttribute("tabindex", "0"); scroller.setAttribute("data-scrolls", ""); }
    });
  }

  function summariseErrors() {
    var template = document.getElementById("error-summary-heading");
    if (!template) return;
    document.querySelectorAll("main form").forEach(function (form) {
      if (form.querySelector(".error-summary")) return;
      var items = [];
      form.querySelectorAll(".errorlist").forEach(function (list) {
        var text = list.textContent.trim();
        if (!text) return;
        var scope = list.closest("p, .field, fieldset, li, div") || list.parentElement;
        var field = scope && scope.querySelector("input:not([type=hidden]), select, textarea");
        var label = field && field.id ? form.querySelector("label[for='" + field.id + "']") : null;
        items.push({ text: (label ? label.textContent.trim().replace(/:$/, "") + ": " : "") + text, id: field ? field.id : "" });
      });
      if (!items.length) return;
      var box = document.createElement("div");
      box.className = "error-summary";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      var heading = document.createElement("p");
      heading.className = "error-summary-title";
      heading.textContent = template.getAttribute("data-title");
      box.appendChild(heading);
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        if (item.id) {
          var link = document.createElement("a");
          link.href = "#" + item.id;
          link.textContent = item.text;
          li.appendChild(link);
        } else {
          li.textContent = item.text;
        }
        list.appendChild(li);
      });
      box.appendChild(list);
      form.insertBefore(box, form.firstChild);
    });
    var first = document.querySelector(".error-summary");
    if (first) first.focus();
  }

  function ready() {
    var toggle = document.querySelector(".nav-toggle");
    if (toggle) toggle.hidden = false;
    labelTableCells();
    fitTables();
    summariseErrors();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("resize", fitTables);
  document.addEventListener("toggle", fitTables, true);  // a table inside <details> is measured once shown
})();
