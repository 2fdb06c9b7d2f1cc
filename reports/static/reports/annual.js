/* 年度工作报告: follow the Celery task's progress; when it has finished (done or failed) reload
   the page, which then shows the download links or the error with a retry button. Without
   JavaScript the page refreshes itself (noscript meta refresh). */
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || box.getAttribute("data-status") === "done" || box.getAttribute("data-status") === "failed") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
          return;
        }
        document.getElementById("report-progress").value = data.progress;
        document.getElementById("report-percent").textContent = data.progress;
        document.getElementById("report-step").textContent = data.step;
        document.getElementById("report-state").textContent = data.status_display;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
