/* 年度工作报告: follow the Celery task's progress until the report is ready, then show the
   download links. Without JavaScript the page refreshes itself (noscript meta refresh). */
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || box.getAttribute("data-status") === "done" || box.getAttribute("data-status") === "failed") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  function show(id, visible) {
    document.getElementById(id).classList.toggle("hidden", !visible);
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        document.getElementById("report-progress").value = data.progress;
        document.getElementById("report-percent").textContent = data.progress;
        document.getElementById("report-step").textContent = data.step;
        document.getElementById("report-state").textContent = data.status_display;
        box.setAttribute("data-status", data.status);
        if (data.status === "done") {
          show("report-downloads", true);
          document.getElementById("report-state").className = "badge ok";
          return;
        }
        if (data.status === "failed") {
          document.getElementById("report-error").textContent = data.error;
          show("report-error", true);
          document.getElementById("report-state").className = "badge danger";
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
