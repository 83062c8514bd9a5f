/* Analytics dashboards: Chart.js charts drawn from the JSON the page embeds (json_script).
   Every chart has a table with the same numbers on the page, so nothing depends on this file. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  var css = getComputedStyle(document.documentElement);
  var text = css.getPropertyValue("--text").trim() || "#eef0f8";
  var muted = css.getPropertyValue("--muted").trim() || "#a3a9c2";
  var palette = ["#7c5cff", "#22d3ee", "#34d399", "#fbbf24", "#ff6b6b", "#f472b6", "#a3e635", "#60a5fa", "#fb923c", "#c084fc"];
  Chart.defaults.color = muted;
  Chart.defaults.borderColor = "rgba(163,169,194,0.15)";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.color = text;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function usd(micros) { return micros === null ? null : micros / 1e6; }
  function pct(rate) { return rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10; }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }
  var pctAxis = { beginAtZero: true, suggestedMax: 100, ticks: { callback: function (v) { return v + "%"; } } };
  var usdAxis = { beginAtZero: true, ticks: { callback: function (v) { return "$" + v; } } };

  var game = data("analytics-game-data");
  if (game) {
    draw("chart-dau", {
      type: "line",
      data: {
        labels: game.dates,
        datasets: [
          { label: "Daily active players", data: game.dau, borderColor: palette[0], backgroundColor: palette[0], tension: 0.25, spanGaps: false },
          { label: "New players", data: game.new_players, borderColor: palette[1], backgroundColor: palette[1], tension: 0.25 }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    draw("chart-retention", {
      type: "line",
      data: {
        labels: game.retention_curve.map(function (p) { return "D" + p.day; }),
        datasets: [{ label: "Players retained", data: game.retention_curve.map(function (p) { return pct(p.rate); }), borderColor: palette[2], backgroundColor: palette[2], tension: 0.2 }]
      },
      options: { scales: { y: pctAxis } }
    });
    draw("chart-funnel", {
      type: "bar",
      data: {
        labels: game.funnel.map(function (l) { return "Level " + l.level; }),
        datasets: [
          { label: "Starts", data: game.funnel.map(function (l) { return l.starts; }), backgroundColor: palette[0] },
          { label: "Passed", data: game.funnel.map(function (l) { return l.successes; }), backgroundColor: palette[2] }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    draw("chart-revenue", {
      type: "bar",
      data: {
        labels: game.dates,
        datasets: [
          { label: "Ads", data: game.ad_revenue.map(usd), backgroundColor: palette[1], stack: "r" },
          { label: "Purchases", data: game.purchase_revenue.map(usd), backgroundColor: palette[3], stack: "r" },
          { label: "Refunds", data: game.refunds.map(function (v) { return v === null ? null : -v / 1e6; }), backgroundColor: palette[4], stack: "r" }
        ]
      },
      options: { scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, usdAxis) } }
    });
  }

  // Generic series for other apps' dashboards (the marketplace's seller page):
  // {labels, charts: {<canvas id>: {type, money, percent, datasets: [{label, data}]}}}.
  var series = data("gf-chart-series");
  if (series) {
    var currency = series.currency_symbol || "";
    Object.keys(series.charts).forEach(function (id) {
      var c = series.charts[id];
      var y = { beginAtZero: true, ticks: { precision: 0 } };
      if (c.money) y = { beginAtZero: true, ticks: { callback: function (v) { return currency + v; } } };
      if (c.percent) y = pctAxis;
      draw(id, {
        type: c.type || "line",
        data: {
          labels: series.labels,
          datasets: c.datasets.map(function (d, i) {
            return { label: d.label, data: d.data, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0.25, spanGaps: true };
          })
        },
        options: { scales: { y: y } }
      });
    });
  }

  var cmp = data("analytics-compare-data");
  if (cmp) {
    draw("chart-cmp-dau", {
      type: "line",
      data: {
        labels: cmp.dates,
        datasets: cmp.games.map(function (g, i) {
          return { label: g.title, data: g.dau, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0.25 };
        })
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    var maxDay = 0;
    cmp.games.forEach(function (g) { g.retention_curve.forEach(function (p) { maxDay = Math.max(maxDay, p.day); }); });
    var days = [];
    for (var d = 0; d <= maxDay; d++) days.push(d);
    draw("chart-cmp-retention", {
      type: "line",
      data: {
        labels: days.map(function (d) { return "D" + d; }),
        datasets: cmp.games.map(function (g, i) {
          var byDay = {};
          g.retention_curve.forEach(function (p) { byDay[p.day] = pct(p.rate); });
          return { label: g.title, data: days.map(function (d) { return d in byDay ? byDay[d] : null; }), borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0.2 };
        })
      },
      options: { scales: { y: pctAxis } }
    });
    draw("chart-cmp-revenue", {
      type: "bar",
      data: {
        labels: cmp.games.map(function (g) { return g.title; }),
        datasets: [{ label: "Revenue (USD)", data: cmp.games.map(function (g) { return usd(g.revenue); }), backgroundColor: cmp.games.map(function (g, i) { return palette[i % palette.length]; }) }]
      },
      options: { plugins: { legend: { display: false } }, scales: { y: usdAxis } }
    });
  }
})();
