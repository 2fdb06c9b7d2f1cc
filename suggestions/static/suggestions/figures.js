/* 代表建议统计: draws the dashboard's charts (vendored ECharts, set up by js/charts.js) from the
   JSON the page embeds (#figures-data). Every chart has a table with the same numbers next to it. */
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  if (!source || typeof window.lianxinCharts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var draw = window.lianxinCharts();

  // Horizontal bars: one row per name, the value axis along the bottom.
  function bars(names, series, options) {
    options = options || {};
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, show: series.length > 1 },
      grid: { left: 8, right: options.percent ? 56 : 24, top: series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: options.percent ? 100 : null, minInterval: options.percent ? 0 : 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { interval: 0 } },
      series: series.map(function (item) {
        return {
          name: item.name, type: "bar", data: item.data, barMaxWidth: 24,
          label: { show: true, position: "right", formatter: options.percent ? "{c}%" : "{c}" }
        };
      })
    };
  }

  function pie(items, ring) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        type: "pie", radius: ring ? ["35%", "60%"] : "60%", center: ["50%", "45%"], data: items,
        label: { formatter: "{c}" }
      }]
    };
  }

  draw("chart-states", pie(data.states, true));
  draw("chart-rates", bars(
    data.rates.map(function (r) { return r.name; }),
    [{ name: "%", data: data.rates.map(function (r) { return r.value; }) }],
    { percent: true }
  ));
  draw("chart-units", bars(data.units.names, [
    { name: data.labels.assigned, data: data.units.assigned },
    { name: data.labels.replied, data: data.units.replied }
  ]), Math.max(160, data.units.names.length * 56 + 60));
  draw("chart-categories", pie(data.categories, false));
  draw("chart-townships", bars(data.townships.names, [
    { name: data.labels.total, data: data.townships.total }
  ]), Math.max(160, data.townships.names.length * 32 + 40));
})();
