/* 进站履职: add another reception without a round trip (the button also works without JS). */
(function () {
  var button = document.getElementById("add-reception");
  var template = document.getElementById("reception-template");
  var container = document.getElementById("receptions");
  var total = document.getElementById("id_r-TOTAL_FORMS");
  if (!button || !template || !container || !total) return;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    var first = added && added.querySelector("input, select, textarea");
    if (first) first.focus();
  });
})();
