// Live step-6 deadline, the urgency reason asked only when the deadline has passed, and the
// private-counterpart warning on the filing form.
(function () {
  "use strict";
  var dateInput = document.getElementById("id_intended_signing_date");
  var info = document.getElementById("deadline-info");
  var urgencyField = document.getElementById("field-urgency_reason");
  var urgencyInput = document.getElementById("id_urgency_reason");

  // The reason is asked for only when needed; one already written (or refused by the server) stays visible.
  function showUrgency(needed) {
    if (!urgencyField) return;
    var keep = urgencyInput && urgencyInput.value.trim() !== "";
    var refused = urgencyField.classList.contains("field-error");
    urgencyField.hidden = !(needed || keep || refused);
    if (urgencyInput) urgencyInput.required = needed;
  }
  var typeSelect = document.getElementById("id_counterpart_type");
  var warning = document.getElementById("private-warning");

  function formatDate(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  // Answers can arrive out of order when the date changes quickly: only the latest request counts.
  var latest = 0;

  function updateDeadline() {
    if (!dateInput || !info) return;
    var value = dateInput.value;
    var request = ++latest;
    if (!value) { info.textContent = ""; showUrgency(false); return; }
    fetch(info.dataset.api + "?signing_date=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (data) {
        if (request !== latest) return;
        info.textContent = info.dataset.text + " " + formatDate(data.must_reach_cja_by) + ".";
        if (data.is_past) {
          info.textContent += " " + info.dataset.late;
          info.className = "warning-box";
        } else {
          info.className = "help";
        }
        showUrgency(data.is_past);
      })
      .catch(function () {
        if (request !== latest) return;
        info.textContent = info.dataset.invalid;
        info.className = "warning-box";
        showUrgency(false);
      });
  }

  function updateWarning() {
    if (typeSelect && warning) warning.hidden = typeSelect.value !== "private";
  }

  if (dateInput) { dateInput.addEventListener("change", updateDeadline); updateDeadline(); }
  if (typeSelect) { typeSelect.addEventListener("change", updateWarning); updateWarning(); }
})();
