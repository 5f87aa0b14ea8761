// Draws the dashboard's charts from the JSON the page embeds (id "mtx-charts"), with the Chart.js
// that django-unfold serves: offline, no CDN.
(function () {
  "use strict";
  var source = document.getElementById("mtx-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#b45309", "#2563eb", "#059669", "#7c3aed"];

  function draw(id, spec, type) {
    var canvas = document.getElementById(id);
    if (!canvas || !spec || !spec.labels.length) { return; }
    var datasets = spec.series.map(function (s, i) {
      return { label: s.label, data: s.data, borderColor: colours[i], backgroundColor: colours[i],
               borderDash: i > 0 ? [6, 4] : [], pointRadius: type === "line" ? 2 : 0, fill: false };
    });
    if (spec.line !== null && spec.line !== undefined) {
      datasets.push({ type: "line", label: "序时进度（%）", data: spec.labels.map(function () { return spec.line; }),
                      borderColor: "#1f2937", borderDash: [4, 4], pointRadius: 0, fill: false });
    }
    new Chart(canvas, {
      type: type,
      data: { labels: spec.labels, datasets: datasets },
      options: { responsive: true, animation: false,
                 plugins: { title: { display: true, text: spec.title }, legend: { position: "bottom" } } }
    });
  }

  draw("chart-trend", charts.trend, "line");
  draw("chart-units", charts.by_unit, "bar");
})();
