/* 履职档案: the print button (the page prints without it through the browser's menu). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
