// The deputy picker (deputies/widgets.py): a search box above each select.deputy-picker that
// filters its options by name, pinyin initials, township or group. The select itself stays the
// form's field: without JavaScript it is a plain multiple select.
(function () {
  "use strict";
  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "deputy-picker-search";
    box.placeholder = "搜索姓名、拼音首字母、乡镇或代表小组";
    box.setAttribute("aria-label", "搜索代表");
    box.setAttribute("aria-controls", select.id);
    var count = document.createElement("p");
    count.className = "small muted";
    count.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(count, select.nextSibling);
    function chosen() {
      var n = 0;
      for (var i = 0; i < select.options.length; i++) if (select.options[i].selected) n++;
      count.textContent = "已选 " + n + " 位代表";
    }
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        var text = option.getAttribute("data-search") || option.text.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !(match || option.selected);
      }
    });
    select.addEventListener("change", chosen);
    chosen();
  }
  function run() {
    var selects = document.querySelectorAll("select.deputy-picker");
    for (var i = 0; i < selects.length; i++) enhance(selects[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
