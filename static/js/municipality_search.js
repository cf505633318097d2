// Suggests municipalities by name (accent-insensitive, from the API) without rendering 2,478 options.
(function () {
  "use strict";
  var input = document.getElementById("id_municipality");
  var list = document.getElementById("municipality-options");
  var state = document.getElementById("id_state");
  if (!input || !list) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 3 || /^[0-9]+$/.test(q)) return;
    timer = setTimeout(function () {
      var url = input.dataset.api + "?q=" + encodeURIComponent(q) + (state && state.value ? "&state=" + state.value : "");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          (data.results || []).slice(0, 20).forEach(function (m) {
            var option = document.createElement("option");
            option.value = m.inegi_code;
            option.label = m.name + ", " + m.state_name;
            list.appendChild(option);
          });
        });
    }, 250);
  });
})();
