document.getElementById("print-posters").addEventListener("click", function () { window.print(); });
