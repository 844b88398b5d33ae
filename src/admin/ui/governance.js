// The governance page: the figures a commune reports upward (GET /admin/api/governance, one query
// module on the server), drawn with Apache ECharts served from this origin (/admin/vendor). Each
// chart shows its numbers in a table too, and exports them as CSV (UTF-8 with BOM) and as a PNG.
// Uses the console's helpers from app.js (t, word, el, api, say, state), loaded before it.
'use strict';

const GOV = { report: null, charts: [] };
// Colours that keep 3:1 against white and apart for colour-blind readers; ECharts adds patterns too.
const GOV_COLOURS = ['#1f5fa8', '#b35c00', '#2e7d32', '#8e24aa', '#616161'];

/** A category's words without its bracketed examples, for an axis: "Đất đai (tranh chấp…)" -> "Đất đai". */
const shortWord = (text) => String(text).split(' (')[0];
const pct = (x) => new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits: 0 }).format(x);
const monthLabel = (m) => `${m.slice(5, 7)}/${m.slice(0, 4)}`;
const officialLabel = (r) => (r.role ? `${r.name} — ${word('role', r.role)}` : r.name);
const procedureLabelOf = (p) => (state.lang === 'en' ? p.nameEn : p.name);

/** The period presets, each as [from, to] in Vietnam days from today's. */
function presetPeriod(preset, today) {
  const [y, m] = today.split('-').map(Number);
  const day = (yy, mm, dd) => new Date(Date.UTC(yy, mm - 1, dd)).toISOString().slice(0, 10);
  switch (preset) {
    case 'thisMonth': return [day(y, m, 1), today];
    case 'lastMonth': return [day(y, m - 1, 1), day(y, m, 0)];
    case 'thisQuarter': return [day(y, Math.floor((m - 1) / 3) * 3 + 1, 1), today];
    case 'thisYear': return [day(y, 1, 1), today];
    case 'lastYear': return [day(y - 1, 1, 1), day(y - 1, 12, 31)];
    default: return [day(y, m - 11, 1), today]; // the last twelve months, this one included
  }
}

function barOption(labels, series, { horizontal = false, percent = false, stacked = false } = {}) {
  const cat = { type: 'category', data: labels, axisLabel: { width: horizontal ? (innerWidth < 600 ? 110 : 220) : undefined, overflow: 'truncate', interval: 0, hideOverlap: !horizontal } };
  const val = { type: 'value', ...(percent ? { max: 1, axisLabel: { formatter: (v) => pct(v) } } : { minInterval: 1 }) };
  return {
    color: GOV_COLOURS,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, ...(percent ? { valueFormatter: (v) => pct(v) } : {}) },
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, ...(stacked ? { stack: 'all' } : {}), barMaxWidth: 36 })),
  };
}

function onTimeChart(id, rows, labelOf, labelHead) {
  return {
    id,
    height: 80 + rows.length * 34,
    option: barOption(rows.map(labelOf).map(shortWord), [{ name: t('gov.col.share'), data: rows.map((r) => r.share) }], { horizontal: true, percent: true }),
    table: {
      head: [labelHead, t('gov.col.closed'), t('gov.col.onTime'), t('gov.col.share')],
      rows: rows.map((r) => [labelOf(r), r.closed, r.onTime, pct(r.share)]),
    },
  };
}

function procedureChart(id, rows, countHead) {
  return {
    id,
    height: 80 + rows.length * 34,
    option: barOption(rows.map(procedureLabelOf), [{ name: countHead, data: rows.map((p) => p.count) }], { horizontal: true }),
    table: { head: [t('gov.col.procedure'), countHead], rows: rows.map((p) => [procedureLabelOf(p), p.count]) },
  };
}

/** Every chart of the page from one report: its ECharts option and the table of the same numbers. */
function governanceCharts(r) {
  const cats = r.heatmap.categories.map((c) => word('category', c));
  const villages = r.heatmap.villages;
  const cell = new Map(r.heatmap.cells.map(([c, v, n]) => [`${c} ${v}`, n]));
  const max = Math.max(1, ...r.heatmap.cells.map((x) => x[2]));
  const heatmap = {
    id: 'heatmap',
    height: 140 + cats.length * 40,
    option: {
      // The tooltip is HTML: the names (edited in the commune data) are escaped.
      tooltip: { formatter: (p) => `${echarts.format.encodeHTML(cats[p.value[1]])}<br>${echarts.format.encodeHTML(villages[p.value[0]])}: <b>${p.value[2]}</b>` },
      grid: { left: 8, right: 16, top: 12, bottom: 64, containLabel: true },
      xAxis: { type: 'category', data: villages, axisLabel: { interval: 0, rotate: villages.length > 6 ? 40 : 0 } },
      yAxis: { type: 'category', data: cats.map(shortWord), axisLabel: { width: innerWidth < 600 ? 100 : 200, overflow: 'truncate' } },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#e3eefa', '#1f5fa8', '#0b2e59'] } },
      series: [{ type: 'heatmap', name: t('gov.col.count'), data: r.heatmap.cells.map(([c, v, n]) => [v, c, n]), label: { show: true, color: '#000', fontSize: 14, backgroundColor: 'rgba(255,255,255,.9)', padding: [2, 4], borderRadius: 3 } }],
    },
    table: {
      head: [t('gov.col.category'), ...villages],
      rows: r.heatmap.categories.map((_, ci) => [cats[ci], ...villages.map((__, vi) => cell.get(`${ci} ${vi}`) || 0)]),
    },
  };
  const months = {
    id: 'months',
    height: 340,
    option: {
      ...barOption(r.months.map((m) => monthLabel(m.month)), [
        { name: t('gov.col.filed'), data: r.months.map((m) => m.filed) },
        { name: t('gov.col.resolved'), data: r.months.map((m) => m.closed - m.rejected) },
        { name: t('gov.col.rejected'), data: r.months.map((m) => m.rejected) },
      ]),
      // The legend names both axes' series: counts on the left, satisfaction (1–5) on the right.
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 5, interval: 1 }],
    },
    table: {
      head: [t('gov.col.month'), t('gov.col.filed'), t('gov.col.resolved'), t('gov.col.rejected'), t('gov.col.ratings'), t('gov.col.satisfaction')],
      rows: r.months.map((m) => [monthLabel(m.month), m.filed, m.closed - m.rejected, m.rejected, m.ratings, m.satisfaction === null ? '' : m.satisfaction]),
    },
  };
  months.option.series.push({ type: 'line', name: t('gov.col.satisfaction'), yAxisIndex: 1, data: r.months.map((m) => m.satisfaction), connectNulls: true, symbolSize: 8 });
  const overdue = {
    id: 'overdue',
    height: 300,
    option: barOption(r.overdueByAge.map((a) => t(`gov.age.${a.age}`)), [{ name: t('gov.col.count'), data: r.overdueByAge.map((a) => a.count) }]),
    table: { head: [t('gov.col.age'), t('gov.col.count')], rows: r.overdueByAge.map((a) => [t(`gov.age.${a.age}`), a.count]) },
  };
  const appts = {
    id: 'appointments',
    height: 320,
    option: barOption(r.appointments.map((m) => monthLabel(m.month)), [
      { name: t('gov.col.attended'), data: r.appointments.map((m) => m.attended) },
      { name: t('gov.col.noShow'), data: r.appointments.map((m) => m.noShow) },
      { name: t('gov.col.cancelled'), data: r.appointments.map((m) => m.cancelled) },
      { name: t('gov.col.unmarked'), data: r.appointments.map((m) => m.unmarked) },
    ], { stacked: true }),
    table: {
      head: [t('gov.col.month'), t('gov.col.attended'), t('gov.col.noShow'), t('gov.col.cancelled'), t('gov.col.unmarked')],
      rows: r.appointments.map((m) => [monthLabel(m.month), m.attended, m.noShow, m.cancelled, m.unmarked]),
    },
  };
  return [
    heatmap,
    onTimeChart('onTimeCategory', r.onTime.byCategory, (x) => word('category', x.key), t('gov.col.category')),
    onTimeChart('onTimeVillage', r.onTime.byVillage, (x) => x.name, t('gov.col.village')),
    onTimeChart('onTimeOfficial', r.onTime.byOfficial, officialLabel, t('gov.col.official')),
    overdue,
    months,
    procedureChart('asked', r.asked, t('gov.col.asked')),
    procedureChart('booked', r.procedures, t('gov.col.booked')),
    appts,
  ];
}

/** A CSV field: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function govCsvField(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

function download(href, name) {
  const a = el('a', undefined, { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function fileName(id, ext) {
  const p = GOV.report.period;
  return `${id}-${p.from}-${p.to}.${ext}`;
}

function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function exportCsv(chart) {
  // The BOM makes Excel read the file as UTF-8, so Vietnamese names survive.
  const text = '\uFEFF' + [chart.table.head, ...chart.table.rows].map((r) => r.map(govCsvField).join(',')).join('\r\n') + '\r\n';
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName(chart.id, 'csv'));
}

// A large chart's data: URL is past what a link may carry: the PNG goes out as a Blob.
function exportPng(chart, instance) {
  const b64 = instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }).split(',')[1];
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  downloadBlob(new Blob([bytes], { type: 'image/png' }), fileName(chart.id, 'png'));
}

function dataTable(chart, title) {
  const details = el('details', undefined, { class: 'chart-data' });
  details.append(el('summary', t('gov.table')));
  const table = el('table', undefined, { 'data-chart': chart.id });
  table.append(el('caption', title, { class: 'sr-only' }));
  const head = el('tr');
  for (const h of chart.table.head) head.append(el('th', h, { scope: 'col' }));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const row of chart.table.rows) {
    const tr = el('tr');
    row.forEach((v, i) => tr.append(el(i === 0 ? 'th' : 'td', v, i === 0 ? { scope: 'row' } : {})));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  // A table wider than a phone scrolls sideways: the keyboard can reach and scroll it too.
  const wrap = el('div', undefined, { class: 'table', tabindex: '0' });
  wrap.append(table);
  details.append(wrap);
  return details;
}

function disposeCharts() {
  for (const c of GOV.charts) c.instance.dispose();
  GOV.charts = [];
}

function drawGovernance(report) {
  disposeCharts();
  GOV.report = report;
  const box = $('#gov-charts');
  box.replaceChildren();
  const p = report.period;
  // Overdue is judged at the end of a period that is over, else now.
  const endOfPeriod = Date.parse(`${p.to}T00:00:00+07:00`) + 86400000;
  const asOf = report.asOf >= endOfPeriod ? `${t('gov.asOfEnd')} ${dmy(p.to)}` : `${t('gov.asOf')} ${whenShort(report.asOf)}`;
  $('#gov-period-shown').textContent = `${t('gov.periodShown')}: ${dmy(p.from)} – ${dmy(p.to)} · ${asOf}`;
  for (const chart of governanceCharts(report)) {
    const title = t(`gov.chart.${chart.id}`);
    const figure = el('figure', undefined, { class: 'chart', 'data-chart': chart.id, 'aria-labelledby': `gov-title-${chart.id}` });
    const caption = el('figcaption');
    caption.append(el('h2', title, { id: `gov-title-${chart.id}` }));
    const canvas = el('div', undefined, { class: 'chart-canvas', 'data-chart': chart.id });
    canvas.style.height = `${Math.min(chart.height, 900)}px`;
    const actions = el('div', undefined, { class: 'actions' });
    const csvButton = el('button', t('gov.csv'), { type: 'button', class: 'secondary', 'data-export': 'csv', 'aria-label': `${t('gov.csv')}: ${title}` });
    const pngButton = el('button', t('gov.png'), { type: 'button', class: 'secondary', 'data-export': 'png', 'aria-label': `${t('gov.png')}: ${title}` });
    actions.append(csvButton, pngButton);
    const empty = chart.table.rows.length === 0 || chart.table.rows.every((r) => r.slice(1).every((v) => v === 0 || v === ''));
    figure.append(caption, canvas, actions, dataTable(chart, title));
    if (empty) figure.insertBefore(el('p', t('gov.noData'), { class: 'hint no-data' }), canvas);
    box.append(figure);
    const instance = echarts.init(canvas, null, { renderer: 'canvas' });
    // The chart's own description for screen readers: its title and what it shows (ECharts' aria).
    instance.setOption({ ...chart.option, aria: { enabled: true, decal: { show: true }, label: { description: `${title}. ${t('gov.tableHint')}` } }, animation: false });
    csvButton.addEventListener('click', () => exportCsv(chart));
    pngButton.addEventListener('click', () => exportPng(chart, instance));
    GOV.charts.push({ chart, instance });
  }
}

async function loadGovernance(query) {
  const form = $('#gov-period');
  const q = query || (form.elements.from.value && form.elements.to.value ? `from=${form.elements.from.value}&to=${form.elements.to.value}` : '');
  const report = await api('GET', `/admin/api/governance${q ? `?${q}` : ''}`);
  form.elements.from.value = report.period.from;
  form.elements.to.value = report.period.to;
  drawGovernance(report);
}

function setupGovernance() {
  const form = $('#gov-period');
  const preset = form.elements.preset;
  for (const p of ['last12', 'thisMonth', 'lastMonth', 'thisQuarter', 'thisYear', 'lastYear', 'custom']) preset.append(el('option', t(`gov.preset.${p}`), { value: p, 'data-i18n': `gov.preset.${p}` }));
  preset.addEventListener('change', () => {
    if (preset.value === 'custom') return form.elements.from.focus();
    const [from, to] = presetPeriod(preset.value, communeDayOf(Date.now()));
    form.elements.from.value = from;
    form.elements.to.value = to;
    loadGovernance().catch((e) => say(errorText(e)));
  });
  for (const name of ['from', 'to']) form.elements[name].addEventListener('change', () => (preset.value = 'custom'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadGovernance().catch((e) => say(errorText(e)));
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const c of GOV.charts) c.instance.resize();
    }, 150);
  });
}
