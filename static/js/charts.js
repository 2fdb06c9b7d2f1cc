/* Shared ECharts set-up for the statistics pages: the portal's palette, SVG rendering, a marker
   (data-ready="1") once a chart is drawn, and resizing with the window.
   Usage: var draw = window.lianxinCharts(); draw("chart-id", option, heightInPixels); */
(function () {
  "use strict";
  var palette = ["#9b1c1c", "#0b5cad", "#1a7f37", "#8a5a00", "#6e40c9", "#57606a", "#d4690b", "#0f7b8a", "#b35900"];
  window.lianxinCharts = function () {
    var charts = [];
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
    return function draw(id, option, height) {
      var element = document.getElementById(id);
      if (!element || typeof window.echarts === "undefined") {
        return null;
      }
      if (height) {
        element.style.height = height + "px";
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      option.color = palette;
      option.textStyle = { fontFamily: "inherit" };
      chart.setOption(option);
      element.setAttribute("data-ready", "1");
      charts.push(chart);
      return chart;
    };
  };
})();
