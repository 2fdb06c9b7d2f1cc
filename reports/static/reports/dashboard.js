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

  function grid() {
    return { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
  }

  function pie(items) {
    return {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: items.filter(function (i) { return i.count > 0; })
        .map(function (i) { return { name: i.name, value: i.count }; }), label: { formatter: "{b} {c}" } }]
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
    tooltip: { trigger: "axis" }, grid: grid(),
    xAxis: { type: "value", max: 100 }, yAxis: { type: "category", data: labels.rates, inverse: true },
    series: [{ type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
      data: [s.completion_rate, s.satisfaction_rate, s.success_rate, s.in_time_rate].map(function (v) { return v === null ? 0 : v; }) }]
  });
  draw("chart-projects", {
    tooltip: { trigger: "axis" }, grid: grid(),
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", inverse: true, data: data.projects.map(function (p) { return p.title; }),
      axisLabel: { width: 120, overflow: "truncate" } },
    series: [{ name: labels.percent, type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
      data: data.projects.map(function (p) { return p.percent; }) }]
  }, Math.max(200, data.projects.length * 36 + 60));

})();
