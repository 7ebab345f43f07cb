/* Draws the dashboards' charts with Chart.js from the JSON embedded next to each one
   (json_script). The table that follows each chart stays: it is the accessible alternative
   and all a visitor without JavaScript needs. */
(function () {
  "use strict";
  // DSFR illustrative colours, distinguishable from each other and on white.
  var PALETTE = ["#000091", "#e1000f", "#009081", "#b34000", "#6e445a", "#c08c65",
    "#3558a2", "#66673d", "#8585f6", "#417dc4", "#a94645", "#169b62", "#7d4e5b",
    "#fc5d00", "#5e2a2b", "#60e0eb", "#ffca00", "#465f9d", "#e18b76"];
  var NUMBER = new Intl.NumberFormat("fr-FR");

  function color(i) { return PALETTE[i % PALETTE.length]; }

  function config(data) {
    var doughnut = data.kind === "doughnut";
    var line = data.kind === "line";
    var datasets = data.series.map(function (series, i) {
      return {
        label: series.name,
        data: series.values,
        backgroundColor: doughnut ? data.labels.map(function (_, j) { return color(j); }) : color(i),
        borderColor: doughnut ? "#ffffff" : color(i),
        borderWidth: doughnut ? 1 : 2,
        tension: 0,
        fill: false
      };
    });
    var horizontal = data.kind === "bar" && data.labels.length > 6;
    return {
      type: doughnut ? "doughnut" : (line ? "line" : "bar"),
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: doughnut || data.series.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var name = item.dataset.label ? item.dataset.label + " : " : "";
                return (doughnut ? item.label + " : " : name) + NUMBER.format(item.raw);
              }
            }
          }
        },
        scales: doughnut ? {} : {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    };
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-cnum-chart"));
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    container.hidden = false;
    if (data.kind === "bar" && data.labels.length > 6) {
      container.classList.add("cnum-chart__canvas--tall");
    }
    new window.Chart(container.querySelector("canvas"), config(data));
  }

  document.querySelectorAll("[data-cnum-chart]").forEach(draw);
})();
