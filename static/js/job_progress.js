// Polls a background job (registry import or export) and moves its progress bar; reloads the page when it ends.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress]");
  if (!box) return;
  var bar = document.querySelector("#job-progress");
  var statusLabel = document.getElementById("job-status");
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(box.dataset.jobProgress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + " %";
        statusLabel.textContent = job.status_label;
        if (job.finished) { window.location.reload(); return; }
        if (tries < 3600) setTimeout(poll, 1000);
      })
      .catch(function () { if (tries < 3600) setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
