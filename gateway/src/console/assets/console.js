// Sluice console: draws each chart's embedded series with uPlot; the data tables carry the same numbers.
(function () {
  'use strict';
  var COLORS = ['#1b7f5b', '#c77c02', '#b3261e', '#5a4fcf', '#6b7780', '#0b6e99'];
  function draw(el) {
    var id = el.getAttribute('data-chart');
    var script = document.getElementById(id + '-data');
    if (!script || typeof uPlot === 'undefined') return;
    var data = JSON.parse(script.textContent);
    var width = Math.max(280, Math.min(el.parentElement.clientWidth || 560, 720));
    var opts = {
      width: width,
      height: 200,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: data.unit === '%' ? { range: [0, 100] } : { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { size: 56, values: function (u, ticks) { return ticks.map(function (v) { return data.unit === '%' ? v + ' %' : v; }); } }],
      series: [{}].concat(data.series.map(function (s, i) { return { label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 5 } }; })),
    };
    el.innerHTML = '';
    el.uplot = new uPlot(opts, [data.x].concat(data.series.map(function (s) { return s.values; })), el);
    el.setAttribute('data-drawn', String(data.series.length));
  }
  function init() {
    document.querySelectorAll('[data-chart]').forEach(draw);
    document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
