/* 代表建议统计: draws the dashboard's charts with the vendored ECharts from the JSON the page
   embeds (#figures-data). Every chart has a table with the same numbers next to it. */
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#9b1c1c", "#0b5cad", "#1a7f37", "#8a5a00", "#6e40c9", "#57606a", "#d4690b", "#0f7b8a"];
  var charts = [];

  function draw(id, option, height) {
    var element = document.getElementById(id);
    if (!element) {
      return;
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
  }

  function bars(names, series, horizontal, max) {
    var category = { type: "category", data: names, inverse: horizontal, axisLabel: { interval: 0 } };
    var value = { type: "value", max: max };
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series.map(function (item) {
        return { name: item.name, type: "bar", data: item.data, label: { show: !!item.label, position: "right" } };
      })
    };
  }

  draw("chart-states", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.states, label: { formatter: "{b} {c}" } }]
  });
  draw("chart-rates", bars(
    data.rates.map(function (r) { return r.name; }),
    [{ name: "%", data: data.rates.map(function (r) { return r.value; }), label: true }],
    true, 100
  ));
  draw("chart-units", bars(data.units.names, [
    { name: data.labels.assigned, data: data.units.assigned },
    { name: data.labels.replied, data: data.units.replied }
  ], true), Math.max(240, data.units.names.length * 44 + 60));
  draw("chart-categories", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: "65%", data: data.categories, label: { formatter: "{b} {c}" } }]
  });
  draw("chart-townships", bars(data.townships.names, [
    { name: data.labels.total, data: data.townships.total }
  ], true), Math.max(240, data.townships.names.length * 30 + 60));

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
