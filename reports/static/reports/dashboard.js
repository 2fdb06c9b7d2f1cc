/* 数据看板: draws the charts with the vendored ECharts from the JSON the page embeds
   (#dashboard-data). The same numbers are in the tables of the page. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.echarts === "undefined" || typeof window.lianxinCharts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var draw = window.lianxinCharts();

  // `right`: room for the values written after the bars ("100%"), which containLabel does not
  // count: without it they are clipped at the chart's right edge.
  function grid(right) {
    return { left: 8, right: right || 16, top: 36, bottom: 8, containLabel: true };
  }

  // Labels wrap (name over count) instead of being cut to "联系点/实…" where the chart is narrow.
  function pie(items) {
    return {
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["28%", "52%"], avoidLabelOverlap: true,
        data: items.filter(function (i) { return i.count > 0; })
          .map(function (i) { return { name: i.name, value: i.count }; }),
        label: { formatter: "{b}\n{c}", overflow: "break", lineHeight: 16 },
        labelLine: { length: 8, length2: 6 },
        labelLayout: { hideOverlap: false }
      }]
    };
  }

  draw("chart-stations", pie(data.stations_by_kind));
  draw("chart-activities", pie(data.activities_by_kind));
  draw("chart-visits", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid(),
    xAxis: { type: "category", data: labels.months }, yAxis: { type: "value" },
    series: [
      { name: labels.visits, type: "bar", data: data.visits_by_month },
      { name: labels.receptions, type: "bar", data: data.receptions_by_month }
    ]
  });
  draw("chart-opinions", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid(),
    xAxis: { type: "category", data: labels.months }, yAxis: { type: "value" },
    series: [
      { name: labels.collected, type: "line", data: data.opinions.by_month.map(function (m) { return m.collected; }) },
      { name: labels.closed, type: "line", data: data.opinions.by_month.map(function (m) { return m.closed; }) }
    ]
  });
  var s = data.suggestions;
  draw("chart-rates", {
    tooltip: { trigger: "axis" }, grid: grid(56),
    xAxis: { type: "value", max: 100 }, yAxis: { type: "category", data: labels.rates, inverse: true },
    series: [{ type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
      data: [s.completion_rate, s.satisfaction_rate, s.success_rate, s.in_time_rate].map(function (v) { return v === null ? 0 : v; }) }]
  });
  // Long project titles wrap within a fixed left column (containLabel measures them unwrapped and
  // the first line would start outside the chart).
  draw("chart-projects", {
    tooltip: { trigger: "axis" }, grid: { left: 132, right: 56, top: 16, bottom: 28, containLabel: false },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", inverse: true, data: data.projects.map(function (p) { return p.title; }),
      axisLabel: { width: 120, overflow: "break", lineHeight: 16, margin: 8 } },
    series: [{ name: labels.percent, type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
      data: data.projects.map(function (p) { return p.percent; }) }]
  }, Math.max(200, data.projects.length * 56 + 60));

})();
