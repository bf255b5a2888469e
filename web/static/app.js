// The warcoder page: map, timeline, list, evidence panel and correction
// form over the JSON API of `warcoder serve`. Plain browser JavaScript, no
// build step; the libraries are vendored under vendor/.
'use strict';

const TYPE_COLOURS = {
  'Battles': '#d62728',
  'Explosions/Remote violence': '#ff7f0e',
  'Violence against civilians': '#9467bd',
  'Protests': '#2ca02c',
  'Riots': '#17becf',
  'Strategic developments': '#7f7f7f',
};
const colour = (type) => TYPE_COLOURS[type] || '#555';
const PAGE = 50;

const state = {
  filters: {},
  brush: null, // {from, to} chosen on the timeline
  offset: 0,
  total: 0,
  token: null,
  subEventTypes: [],
  openId: null,
};

// ---- helpers ---------------------------------------------------------------

const $ = (sel) => document.querySelector(sel);
function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function el(tag, attrs = {}, html = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.innerHTML = html;
  return e;
}

/** The query string of the filters; the brush narrows the dates unless `withBrush` is false. */
function query(extra = {}, withBrush = true) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  if (withBrush && state.brush) {
    p.set('from', state.brush.from);
    p.set('to', state.brush.to);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) p.set(k, v);
  return p.toString();
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function range(t) {
  if (!t) return '–';
  return t.low === t.high ? String(t.low) : `${t.low}–${t.high}`;
}

// ---- map ---------------------------------------------------------------------

const map = L.map('map', { worldCopyJump: true, preferCanvas: false }).setView([25, 30], 2);
const basemap = L.layerGroup().addTo(map);
const events = L.layerGroup().addTo(map);
let aggregated = false;

// Natural Earth at 1:110m for the first view, 1:50m once zoomed in.
let basemapScale = null;
async function loadBasemap(scale) {
  if (basemapScale === scale || (scale === '110m' && basemapScale)) return;
  basemapScale = scale;
  const topo = await getJson(`vendor/world-atlas/countries-${scale}.json`);
  const land = topojson.feature(topo, topo.objects.countries);
  basemap.clearLayers();
  L.geoJSON(land, {
    interactive: false,
    renderer: L.canvas({ padding: 0.5 }), // one canvas draws the countries faster than 240 SVG paths
    style: { color: '#8a9ba8', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 },
  }).addTo(basemap);
}

function cellDegrees() {
  return Math.max(0.05, 360 / Math.pow(2, map.getZoom() + 4));
}

async function loadMap() {
  const view = await getJson('api/map?' + query({ cell: cellDegrees().toFixed(3) }));
  events.clearLayers();
  aggregated = view.cells.length > 0;
  for (const p of view.points) {
    const r = Math.min(30, 4 + 2 * Math.sqrt(p.fatalities));
    L.circleMarker([p.lat, p.lon], {
      radius: r, color: colour(p.event_type), weight: 1, fillOpacity: 0.6, className: 'wc-event',
    }).bindTooltip(`${esc(p.event_type)} · ${p.fatalities} dead`).on('click', () => openPanel(p.id)).addTo(events);
  }
  for (const c of view.cells) {
    const r = Math.min(40, 5 + 2 * Math.sqrt(c.incidents));
    L.circleMarker([c.lat, c.lon], {
      radius: r, color: colour(c.event_type), weight: 1, fillOpacity: 0.5, className: 'wc-cell',
    }).bindTooltip(`${c.incidents} incidents · ${c.fatalities} dead (mostly ${esc(c.event_type)}); zoom in`)
      .on('click', (e) => map.setView(e.latlng, map.getZoom() + 2)).addTo(events);
  }
  window.warcoder.mapView = view;
}

map.on('zoomend', () => {
  if (map.getZoom() >= 4) loadBasemap('50m');
  if (aggregated) loadMap();
});

// ---- timeline ----------------------------------------------------------------

let plot = null;
const day = (secs) => new Date(secs * 1000).toISOString().slice(0, 10);

async function loadTimeline() {
  const { days } = await getJson('api/timeline?' + query({}, false));
  const xs = days.map((d) => Date.parse(d.day + 'T00:00:00Z') / 1000);
  const data = [xs, days.map((d) => d.incidents), days.map((d) => d.fatalities)];
  const box = $('#timeline');
  if (plot) plot.destroy();
  plot = new uPlot({
    width: box.clientWidth || 600,
    height: 150,
    cursor: { drag: { x: true, y: false, setScale: false } },
    select: { show: true },
    scales: { x: { time: true }, f: {} },
    axes: [{}, { label: 'incidents' }, { scale: 'f', side: 1, label: 'deaths', grid: { show: false } }],
    series: [
      {},
      { label: 'incidents', stroke: '#37474f', fill: 'rgba(55,71,79,.35)', paths: uPlot.paths.bars({ size: [0.8, 12] }) },
      { label: 'deaths', stroke: '#c62828', scale: 'f' },
    ],
    hooks: { setSelect: [onBrush] },
  }, data, box);
  window.warcoder.plot = plot;
}

function onBrush(u) {
  if (u.select.width < 2) return;
  const from = day(u.posToVal(u.select.left, 'x'));
  const to = day(u.posToVal(u.select.left + u.select.width, 'x'));
  setBrush({ from, to });
}

function setBrush(brush) {
  state.brush = brush;
  $('#clear-brush').hidden = !brush;
  $('#clear-brush').textContent = brush ? `clear selection ${brush.from} – ${brush.to}` : '';
  state.offset = 0;
  refresh(false);
}

$('#clear-brush').addEventListener('click', () => {
  if (plot) plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
  setBrush(null);
});
window.addEventListener('resize', () => { if (plot) plot.setSize({ width: $('#timeline').clientWidth, height: 150 }); });

// ---- list ----------------------------------------------------------------------

async function loadList() {
  const page = await getJson('api/events?' + query({ offset: state.offset, limit: PAGE }));
  state.total = page.total;
  const list = $('#list');
  list.innerHTML = '';
  for (const e of page.events) {
    const place = e.location ? `${e.location.name}, ${e.location.country}` : 'no place';
    const actors = e.actors.map((a) => a.name).join('; ');
    const li = el('li', { 'data-id': e.id }, `
      <div><span class="swatch" style="background:${colour(e.event_type)}"></span>
        <b>${esc(e.date || 'undated')}</b> ${esc(e.sub_event_type || e.event_type)}
        ${e.corrected ? `<span class="corrected" title="corrected by an analyst">✎ ${esc(e.corrected)}</span>` : ''}</div>
      <div class="meta">${esc(place)} · ${esc(actors)} · deaths ${range(e.fatalities)} · ${e.sources} source${e.sources === 1 ? '' : 's'}</div>`);
    li.addEventListener('click', () => openPanel(e.id));
    list.appendChild(li);
  }
  const last = Math.min(state.offset + PAGE, page.total);
  $('#count').textContent = page.total ? `${state.offset + 1}–${last} of ${page.total} incidents` : 'no incidents';
  $('#prev').disabled = state.offset === 0;
  $('#next').disabled = last >= page.total;
}

$('#prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadList(); });
$('#next').addEventListener('click', () => { state.offset += PAGE; loadList(); });

// ---- evidence panel ------------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The article with each field's span marked; spans are UTF-8 byte offsets. */
function highlighted(text, event) {
  const bytes = encoder.encode(text);
  const slice = (a, b) => decoder.decode(bytes.subarray(a, b));
  const marks = [];
  const add = (span, field, label) => { if (span && span[1] > span[0]) marks.push({ a: span[0], b: span[1], field, label }); };
  if (event.location) add(event.location.span, 'place', event.location.name);
  for (const a of event.actors) add(a.span, 'actor', `${a.name} (${a.role}, inter ${a.inter})`);
  add(event.trigger.span, 'trigger', 'trigger');
  for (const kind of ['fatalities', 'injured']) {
    for (const e of (event[kind]?.estimates || [])) add(e.span, kind, `${kind}: ${e.count}${e.source ? ' per ' + e.source : ''}`);
  }
  marks.sort((x, y) => x.a - y.a || y.b - x.b);
  const evidence = (event.evidence || []).slice().sort((x, y) => x[0] - y[0]);
  // Plain text between marks, with the evidence sentences shaded.
  const plain = (a, b) => {
    let out = '';
    let at = a;
    for (const [s, e] of evidence) {
      const s2 = Math.max(s, at), e2 = Math.min(e, b);
      if (e2 <= s2) continue;
      out += esc(slice(at, s2)) + `<span class="evidence">${esc(slice(s2, e2))}</span>`;
      at = e2;
    }
    return out + esc(slice(at, b));
  };
  let html = '';
  let at = 0;
  for (const m of marks) {
    if (m.a < at) continue; // overlaps an earlier mark
    html += plain(at, m.a);
    html += `<mark class="hl-${m.field}" data-field="${m.field}" title="${esc(m.label)}">${esc(slice(m.a, m.b))}</mark>`;
    at = m.b;
  }
  return html + plain(at, bytes.length);
}

function estimatesTable(inc) {
  const rows = [];
  for (const kind of ['fatalities', 'injured']) {
    for (const e of (inc[kind]?.estimates || [])) {
      const n = e.count_high ? `${e.count}–${e.count_high}` : e.count;
      rows.push(`<tr class="estimate"><td>${kind}</td><td>${esc(e.qualifier || '')} ${n}${e.vague ? ' (vague)' : ''}${e.superseded ? ' <i>(superseded)</i>' : ''}</td>
        <td>${esc(e.source || 'unattributed')}</td><td>${esc(e.outlet)}</td></tr>`);
    }
  }
  if (!rows.length) return '<p>No toll given.</p>';
  return `<table><tr><th>kind</th><th>figure</th><th>according to</th><th>outlet</th></tr>${rows.join('')}</table>`;
}

function fieldsTable(inc) {
  const loc = inc.location;
  const mark = (f) => (inc.corrections || []).some((c) => c.field === f) ? ' <span class="corrected">✎ corrected</span>' : '';
  const actors = inc.actors.map((a) => `${esc(a.name)} <small>(${esc(a.role)}, inter ${a.inter}${a.country ? ', ' + esc(a.country) : ''})</small>`).join('<br>');
  return `<table class="fields">
    <tr><th>date</th><td>${esc(inc.date || '–')} <small>(${esc(inc.date_precision || 'no')} precision)</small>${mark('date')}</td></tr>
    <tr><th>ACLED</th><td>${esc(inc.disorder_type || '')} / ${esc(inc.event_type)} / ${esc(inc.sub_event_type || '–')}${mark('event_type')}</td></tr>
    <tr><th>CAMEO, PLOVER</th><td>${esc(inc.cameo)}, ${esc(inc.plover)}${inc.plover_mode ? ' (' + esc(inc.plover_mode) + ')' : ''}</td></tr>
    <tr><th>actors</th><td>${actors || '–'}${mark('actor_type')}</td></tr>
    <tr><th>location</th><td>${loc ? `${esc(loc.name)}, ${esc(loc.admin1 || '')} ${esc(loc.country)} <small>(${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)}; precision ${loc.precision})</small>` : '–'}${mark('location')}</td></tr>
    <tr><th>fatalities</th><td>low ${inc.fatalities?.low ?? '–'} / best ${inc.fatalities?.best ?? '–'} / high ${inc.fatalities?.high ?? '–'}${mark('fatalities')}</td></tr>
    <tr><th>injured</th><td>${range(inc.injured)}</td></tr>
  </table>`;
}

function correctionsList(inc) {
  const corrections = inc.corrections || []; // absent when none
  if (!corrections.length) return '';
  const items = corrections.map((c) => `<li class="correction"><b>${esc(c.field)}</b>: machine ${esc(JSON.stringify(c.machine))}
    → analyst ${esc(JSON.stringify(c.value))}${c.note ? ' — ' + esc(c.note) : ''} <small>${esc(c.created_at)}</small></li>`);
  return `<h3>Corrections</h3><ul>${items.join('')}</ul>`;
}

async function openPanel(id) {
  state.openId = id;
  const ev = await getJson(`api/events/${id}`);
  const inc = ev.incident;
  const panel = $('#panel');
  const reports = ev.reports.map((r, i) => `
    <div class="report">
      <h3>${i + 1}. ${esc(r.document.title || r.document.source)} <small>${esc(r.document.outlet)}${r.document.published ? ', ' + esc(r.document.published) : ''}</small></h3>
      ${r.document.url ? `<a href="${esc(r.document.url)}" rel="noreferrer">${esc(r.document.url)}</a>` : ''}
      ${r.text ? `<div class="article" data-report="${i}">${highlighted(r.text, r.event)}</div>` : '<p><i>The text of this article was not stored (ingested by an older warcoder).</i></p>'}
    </div>`).join('');
  panel.innerHTML = `
    <button id="back">← list</button>
    <h2>Incident ${inc.id}: ${esc(inc.sub_event_type || inc.event_type)}</h2>
    ${fieldsTable(inc)}
    ${correctionsList(inc)}
    <h3>Estimates and who gave them</h3>${estimatesTable(inc)}
    <div class="legend"><span><mark class="hl-place">place</mark></span><span><mark class="hl-actor">actor</mark></span>
      <span><mark class="hl-trigger">act</mark></span><span><mark class="hl-fatalities">toll</mark></span><span class="evidence">evidence sentence</span></div>
    <h3>Sources (${ev.reports.length})</h3>${reports}
    ${correctionForm(inc)}`;
  $('#list-view').hidden = true;
  panel.hidden = false;
  $('#back').addEventListener('click', closePanel);
  wireCorrectionForm(inc);
  window.warcoder.evidence = ev;
}

function closePanel() {
  state.openId = null;
  $('#panel').hidden = true;
  $('#list-view').hidden = false;
}

// ---- correction form -----------------------------------------------------------

function correctionForm(inc) {
  const subs = state.subEventTypes.map((s) => `<option ${s === inc.sub_event_type ? 'selected' : ''}>${esc(s)}</option>`).join('');
  const actors = inc.actors.map((a) => `<option value="${esc(a.name)}">${esc(a.name)} (inter ${a.inter})</option>`).join('');
  const loc = inc.location || {};
  const f = inc.fatalities || { low: 0, best: 0, high: 0 };
  return `<form class="correct" id="correct">
    <h3>Correct this coding</h3>
    <label>Field <select name="field">
      <option value="fatalities">fatalities</option><option value="date">date</option>
      <option value="event_type">event type</option><option value="actor_type">actor type</option>
      <option value="location">location</option></select></label>
    <div data-for="fatalities"><label>low <input name="low" type="number" min="0" value="${f.low}"></label>
      <label>best <input name="best" type="number" min="0" value="${f.best}"></label>
      <label>high <input name="high" type="number" min="0" value="${f.high}"></label></div>
    <div data-for="date" hidden><label>day <input name="date" type="date" value="${esc(inc.date && inc.date.length === 10 ? inc.date : '')}"></label></div>
    <div data-for="event_type" hidden><label>sub-event type <select name="sub_event_type">${subs}</select></label></div>
    <div data-for="actor_type" hidden><label>actor <select name="name">${actors}</select></label>
      <label>ACLED inter (1-8) <input name="inter" type="number" min="1" max="8" value="1"></label></div>
    <div data-for="location" hidden><label>name <input name="loc_name" value="${esc(loc.name || '')}"></label>
      <label>country <input name="loc_country" maxlength="2" value="${esc(loc.country || '')}"></label>
      <label>lat <input name="lat" type="number" step="any" value="${loc.lat ?? ''}"></label>
      <label>lon <input name="lon" type="number" step="any" value="${loc.lon ?? ''}"></label>
      <label>precision <input name="precision" type="number" min="1" max="3" value="${loc.precision ?? 1}"></label></div>
    <label>Note <input name="note" placeholder="why (source, reasoning)"></label>
    <label ${state.token ? 'hidden' : ''}>Token <input name="token" type="password" placeholder="the server's write token"></label>
    <button type="submit">Save correction</button><span class="status" id="correct-status"></span>
  </form>`;
}

function wireCorrectionForm(inc) {
  const form = $('#correct');
  const show = () => {
    for (const d of form.querySelectorAll('[data-for]')) d.hidden = d.dataset.for !== form.field.value;
  };
  form.field.addEventListener('change', show);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = (n) => form.elements[n].value;
    const values = {
      fatalities: () => ({ low: +v('low'), best: +v('best'), high: +v('high') }),
      date: () => ({ date: v('date') }),
      event_type: () => ({ sub_event_type: v('sub_event_type') }),
      actor_type: () => ({ name: v('name'), inter: +v('inter') }),
      location: () => ({ name: v('loc_name'), country: v('loc_country').toUpperCase(), lat: +v('lat'), lon: +v('lon'), precision: +v('precision') }),
    };
    if (!state.token && v('token')) { state.token = v('token'); sessionStorage.setItem('warcoder-token', state.token); }
    const status = $('#correct-status');
    status.className = 'status';
    status.textContent = 'saving…';
    const r = await fetch(`api/events/${inc.id}/corrections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token || ''}` },
      body: JSON.stringify({ field: form.field.value, value: values[form.field.value](), note: v('note') }),
    });
    const body = await r.json();
    if (!r.ok) {
      status.className = 'status error';
      status.textContent = body.error;
      return;
    }
    await openPanel(inc.id);
    const again = $('#correct-status');
    again.textContent = 'saved';
    refresh(false, true);
  });
}

// ---- filters and start -----------------------------------------------------------

function readFilters() {
  const f = new FormData($('#filters'));
  state.filters = {};
  for (const [k, v] of f.entries()) if (String(v).trim()) state.filters[k] = String(v).trim();
}

$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  readFilters();
  state.offset = 0;
  refresh(true);
});
$('#reset-filters').addEventListener('click', () => {
  $('#filters').reset();
  state.filters = {};
  state.brush = null;
  $('#clear-brush').hidden = true;
  state.offset = 0;
  refresh(true);
});
for (const a of document.querySelectorAll('#exports a')) {
  a.addEventListener('mouseenter', () => { a.href = `api/export.${a.dataset.ext}?` + query(); });
  a.addEventListener('focus', () => { a.href = `api/export.${a.dataset.ext}?` + query(); });
}

/** Reload what the filters change; the timeline too when the filters (not the brush) changed. */
async function refresh(withTimeline, keepPanel = false) {
  const t0 = performance.now();
  const jobs = [loadMap(), loadList()];
  if (withTimeline) jobs.push(loadTimeline());
  try {
    await Promise.all(jobs);
  } catch (e) {
    $('#count').textContent = 'error: ' + e.message;
  }
  if (!keepPanel && state.openId === null) closePanel();
  window.warcoder.lastRefreshMs = performance.now() - t0;
  window.warcoder.ready = true;
  document.body.dataset.ready = String(++window.warcoder.refreshes);
}

async function start() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    sessionStorage.setItem('warcoder-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  state.token = sessionStorage.getItem('warcoder-token');
  const stats = await getJson('api/facets');
  state.subEventTypes = stats.sub_event_types || [];
  const fill = (name, items) => {
    const sel = $(`#filters [name=${name}]`);
    for (const [value, n] of items) sel.appendChild(el('option', { value }, `${esc(value)} (${n})`));
  };
  fill('country', stats.countries);
  fill('type', stats.event_types);
  await Promise.all([loadBasemap('110m'), refresh(true)]);
  window.warcoder.firstViewMs = performance.now();
}

window.warcoder = { state, map, events, setBrush, openPanel, refreshes: 0, ready: false };
start();
