// Lists on a phone (lianxin.css, "Lists on a phone"): label each cell of a .table-wrap table with
// its column's heading, shown before the value when the table is laid out as cards. Without
// JavaScript the cards are the same, without the labels.
(function () {
  "use strict";
  function label(table) {
    var heads = table.querySelectorAll("thead tr:last-child th");
    if (!heads.length) return;
    var names = [];
    for (var i = 0; i < heads.length; i++) {
      var span = parseInt(heads[i].getAttribute("colspan") || "1", 10);
      for (var j = 0; j < span; j++) names.push(heads[i].textContent.trim());
    }
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var col = 0;
      for (var c = 0; c < rows[r].children.length; c++) {
        var cell = rows[r].children[c];
        if (cell.tagName === "TD" && names[col] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", names[col]);
        }
        col += parseInt(cell.getAttribute("colspan") || "1", 10);
      }
    }
  }
  function run() {
    var tables = document.querySelectorAll(".table-wrap table");
    for (var i = 0; i < tables.length; i++) label(tables[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
