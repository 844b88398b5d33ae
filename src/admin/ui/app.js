// The commune console: vanilla JS, no build step. Every change carries the session's CSRF token;
// every text from the server is put in with textContent, never as HTML.
'use strict';

// Times are the commune's (Asia/Ho_Chi_Minh), whatever zone the viewer's device is set to.
const COMMUNE_TIME = { timeZone: 'Asia/Ho_Chi_Minh' };

// The console's words: locales/<lng>/console.json, fetched at start (see loadWords).
const TEXT = { vi: {}, en: {} };
// The petition types (phản ánh, kiến nghị) as the API names them; their words are in TEXT.
const PETITION_TYPES = ['feedback', 'proposal'];
const STATUSES = ['received', 'assigned', 'in_progress', 'transferred', 'resolved', 'rejected'];
const OFFICIAL_ROLES = ['chair', 'vice_chair', 'official', 'village_head', 'desk'];
// A chair or vice chair may end a hand-off they do not hold (the API decides; the button follows it).
const SUPERVISOR_ROLES = ['chair', 'vice_chair'];
const HANDOFF_REFRESH_MS = 10000;

const state = { lang: localStorage.getItem('lang') === 'en' ? 'en' : 'vi', user: null, csrf: null, flowId: null, published: '', dataName: null, dataPublished: '', caseCode: null, tryState: null, trySeq: 0, officialId: null, handoff: null, roster: new Map(), reply: null };
const $ = (sel) => document.querySelector(sel);
const t = (key) => TEXT[state.lang][key] || TEXT.vi[key] || key;
// A word of a coded value (a status, a role, a reason): its text in the console's language, else the code.
const word = (prefix, key) => TEXT[state.lang][`${prefix}.${key}`] || TEXT.vi[`${prefix}.${key}`] || key;
// The case categories: their ids in the order the words file lists them.
const categoryIds = () => Object.keys(TEXT.vi).filter((k) => k.startsWith('category.')).map((k) => k.slice('category.'.length));
const OPEN_STATUSES = 'received,assigned,in_progress,transferred';
const CLOSED_STATUSES = 'resolved,rejected';

/** A person as the console shows them: name and role; the id only in the tooltip. */
function personText(id) {
  if (!id) return '—';
  const o = state.roster.get(id);
  if (o) return `${o.name} — ${word('role', o.role)}`;
  if (id === 'citizen' || id === 'system' || id === 'admin') return t(`by.${id}`);
  return id;
}
function person(tag, id, attrs) {
  return el(tag, personText(id), { ...(attrs || {}), ...(id ? { title: id, 'data-official': id } : {}) });
}

async function loadRoster() {
  const { officials } = await api('GET', '/admin/api/officials');
  state.roster = new Map(officials.map((o) => [o.id, o]));
  return officials;
}

/** Options for picking an official: active ones, by name and role. */
function officialOptions(select, first) {
  select.replaceChildren(el('option', first, { value: '' }));
  for (const o of state.roster.values()) if (o.active) select.append(el('option', `${o.name} — ${word('role', o.role)}`, { value: o.id, title: o.id }));
}

async function loadWords() {
  const [vi, en] = await Promise.all(['vi', 'en'].map(async (l) => (await fetch(`/admin/i18n/${l}.json`, { credentials: 'same-origin' })).json()));
  TEXT.vi = vi;
  TEXT.en = en;
}

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function say(text) {
  $('#message').textContent = text || '';
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': state.lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
  for (const e of document.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', t(e.dataset.i18nLabel));
  $('#lang').textContent = t('lang');
}

function allowed(node) {
  const roles = node.dataset.roles;
  return !roles || (state.user && roles.split(' ').includes(state.user.role));
}

function show(section) {
  stopHandoffRefresh();
  for (const s of document.querySelectorAll('main > section, #login')) s.hidden = true;
  if (!state.user) {
    $('#login').hidden = false;
    $('#nav').hidden = true;
    $('#logout').hidden = true;
    $('#who').textContent = '';
    return;
  }
  $('#nav').hidden = false;
  $('#logout').hidden = false;
  $('#who').textContent = `${state.user.username} (${word('userRole', state.user.role)})`;
  // Buttons and links the role may not use are removed, not just hidden; the API refuses them anyway.
  for (const n of document.querySelectorAll('[data-roles]')) if (!allowed(n)) n.remove();
  const link = document.querySelector(`nav a[href="#${section}"]`);
  const target = link ? section : 'dashboard';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${target}`);
  $(`#${target}`).hidden = false;
  ({ dashboard: loadDashboard, governance: () => loadGovernance(), flows: loadFlows, data: loadData, cases: loadCases, handoffs: loadHandoffs, appointments: loadAppointments, officials: loadOfficials, users: loadUsers, pending: loadPending, audit: loadAudit })[target]().catch((e) => say(e.message));
}

async function loadDashboard() {
  const d = await api('GET', '/admin/api/dashboard');
  const dl = $('#figures');
  dl.replaceChildren();
  const add = (label, value) => {
    const box = el('div');
    box.append(el('dt', label), el('dd', value));
    dl.append(box);
  };
  add(t('open'), d.open);
  add(t('overdueCount'), d.overdue);
  add(t('median'), d.medianResolveMs === null ? '—' : `${(d.medianResolveMs / 86400000).toFixed(1)} ${t('days')}`);
  add(t('satisfaction'), d.satisfaction ? d.satisfaction.average.toFixed(2) : '—');
  showMessages(d.messages);
}

// One row a day, newest first; per channel "in / out": the messages people sent and the replies that went out.
function showMessages(m) {
  const head = el('tr');
  head.append(el('th', t('day')));
  for (const c of m.channels) head.append(el('th', `${word('channel', c)} (${t('inbound')} / ${t('outbound')})`, { 'data-channel': c }));
  $('#messages-table thead').replaceChildren(head);
  const tbody = $('#messages-table tbody');
  tbody.replaceChildren();
  for (const day of m.days.slice().reverse()) {
    const tr = el('tr', undefined, { 'data-day': day });
    tr.append(el('td', day));
    for (const c of m.channels) {
      const row = m.rows.find((r) => r.day === day && r.channel === c) || { inbound: 0, outbound: 0 };
      tr.append(el('td', `${row.inbound} / ${row.outbound}`, { 'data-channel': c }));
    }
    tbody.append(tr);
  }
}

async function loadFlows() {
  const { flows } = await api('GET', '/admin/api/flows');
  const ul = $('#flow-list');
  ul.replaceChildren();
  for (const f of flows) {
    const title = f.title && typeof f.title === 'object' ? f.title[state.lang] || f.title.vi : f.title;
    const a = el('a', `${title || f.id} (${f.from})`, { href: `#flows/${f.id}`, 'data-flow': f.id });
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      openFlow(f.id).catch((e) => say(e.message));
    });
    const li = el('li');
    li.append(a);
    ul.append(li);
  }
}

async function openFlow(id) {
  const f = await api('GET', `/admin/api/flows/${encodeURIComponent(id)}`);
  state.flowId = id;
  state.published = f.source;
  $('#flow-editor').hidden = false;
  $('#flow-title').textContent = `${id} — ${f.from}`;
  $('#source').value = f.source;
  $('#diff').hidden = true;
  resetTry();
  const ul = $('#history');
  ul.replaceChildren();
  for (const v of f.history.slice().reverse()) {
    const li = el('li', `v${v.version} · ${new Date(v.publishedAt).toLocaleString(state.lang, COMMUNE_TIME)} · ${v.publishedBy} `);
    if (state.user.role === 'admin') {
      const b = el('button', t('rollback'), { type: 'button', 'data-version': String(v.version) });
      b.addEventListener('click', () => rollback(v.version));
      li.append(b);
    }
    ul.append(li);
  }
  await check();
}

let checkTimer = null;
let checkSeq = 0;
async function check() {
  if (state.user.role !== 'admin') return;
  const seq = ++checkSeq;
  const status = $('#check-status');
  status.textContent = t('checking');
  status.className = '';
  const r = await api('POST', `/admin/api/flows/${encodeURIComponent(state.flowId)}/check`, { source: $('#source').value });
  if (seq !== checkSeq) return; // a newer keystroke's check is on its way
  const ul = $('#problems');
  ul.replaceChildren();
  for (const p of r.problems) ul.append(el('li', `${p.line ? `${t('line')} ${p.line}: ` : ''}${p.message}`, { class: p.severity }));
  status.textContent = r.ok ? t('checkOk') : t('checkBad');
  status.className = r.ok ? 'ok' : 'bad';
  const publish = $('#publish');
  if (publish) publish.disabled = !r.ok;
}

function lineDiff(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { i++; j++; continue; }
    if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ kind: 'add', text: `+ ${y[j++]}`, at: j });
    else out.push({ kind: 'del', text: `- ${x[i++]}`, at: i });
  }
  return out;
}

function showDiff(pre = $('#diff'), published = state.published, draft = $('#source').value) {
  pre.replaceChildren();
  const lines = lineDiff(published, draft);
  if (lines.length === 0) pre.textContent = t('noDiff');
  for (const l of lines) pre.append(el('span', l.text, { class: l.kind }));
  pre.hidden = false;
}

async function publish() {
  if (!confirm(t('confirmPublish'))) return;
  try {
    const r = await api('POST', `/admin/api/flows/${encodeURIComponent(state.flowId)}`, { source: $('#source').value });
    say(`${t('published')} ${r.version}`);
    await openFlow(state.flowId);
  } catch (e) {
    say(e.message);
  }
}

async function rollback(version) {
  try {
    const r = await api('POST', `/admin/api/flows/${encodeURIComponent(state.flowId)}/rollback`, { version });
    say(`${t('published')} ${r.version}`);
    await openFlow(state.flowId);
  } catch (e) {
    say(e.message);
  }
}

// Commune data: the five files of flows/data, edited like flows (checks as you type, diff, publish, roll back).
async function loadData() {
  const { files } = await api('GET', '/admin/api/commune-data');
  const ul = $('#data-list');
  ul.replaceChildren();
  for (const f of files) {
    const a = el('a', `${t(`data.${f.name}`)} — ${f.file} (${f.from === f.file ? t('fromFile') : f.from || t('notInUse')})`, { href: `#data/${f.name}`, 'data-file': f.name });
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      openData(f.name).catch((e) => say(e.message));
    });
    const li = el('li');
    li.append(a);
    ul.append(li);
  }
}

async function openData(name) {
  const f = await api('GET', `/admin/api/commune-data/${encodeURIComponent(name)}`);
  state.dataName = name;
  state.dataPublished = f.source;
  $('#data-editor').hidden = false;
  $('#data-title').textContent = `${t(`data.${name}`)} — ${f.file} (${f.from === f.file ? t('fromFile') : f.from || t('notInUse')})`;
  $('#data-file-hint').textContent = t(`hint.${name}`);
  $('#data-source').value = f.source;
  $('#data-diff').hidden = true;
  const ul = $('#data-history');
  ul.replaceChildren();
  for (const v of f.history.slice().reverse()) {
    const li = el('li', `v${v.version} · ${new Date(v.publishedAt).toLocaleString(state.lang, COMMUNE_TIME)} · ${v.publishedBy} `);
    if (state.user.role === 'admin') {
      const b = el('button', t('rollback'), { type: 'button', 'data-version': String(v.version) });
      b.addEventListener('click', () => rollbackData(v.version));
      li.append(b);
    }
    ul.append(li);
  }
  await checkData();
}

let dataCheckTimer = null;
let dataCheckSeq = 0;
async function checkData() {
  if (state.user.role !== 'admin') return;
  const seq = ++dataCheckSeq;
  const status = $('#data-check-status');
  status.textContent = t('checking');
  status.className = '';
  const r = await api('POST', `/admin/api/commune-data/${encodeURIComponent(state.dataName)}/check`, { source: $('#data-source').value });
  if (seq !== dataCheckSeq) return; // a newer keystroke's check is on its way
  const ul = $('#data-problems');
  ul.replaceChildren();
  const draftFile = `${state.dataName}.yaml (draft)`;
  for (const p of r.problems) {
    // A problem in another file (a flow, desk.yaml) names it; the draft's own show just the line.
    const where = p.file === draftFile ? '' : `${p.file} `;
    ul.append(el('li', `${where}${p.line ? `${t('line')} ${p.line}: ` : where ? ': ' : ''}${p.message}`, { class: p.severity }));
  }
  status.textContent = r.ok ? t('checkOk') : t('checkBad');
  status.className = r.ok ? 'ok' : 'bad';
  const publish = $('#data-publish');
  if (publish) publish.disabled = !r.ok;
}

async function publishData() {
  if (!confirm(t('confirmPublish'))) return;
  try {
    const r = await api('POST', `/admin/api/commune-data/${encodeURIComponent(state.dataName)}`, { source: $('#data-source').value });
    say(`${t('published')} ${r.version}`);
    await openData(state.dataName);
  } catch (e) {
    say(e.message);
  }
}

async function rollbackData(version) {
  try {
    const r = await api('POST', `/admin/api/commune-data/${encodeURIComponent(state.dataName)}/rollback`, { version });
    say(`${t('published')} ${r.version}`);
    await openData(state.dataName);
  } catch (e) {
    say(e.message);
  }
}

function caseQuery() {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData($('#case-filters'))) if (v) q.set(k, v);
  return q.toString();
}

async function loadCases() {
  const query = caseQuery();
  $('#csv').href = `/admin/api/cases.csv${query ? `?${query}` : ''}`;
  // The list API pages by 50 unless told; the desk shows up to 500, oldest first.
  const [{ cases }] = await Promise.all([api('GET', `/admin/api/console/cases?${query ? `${query}&` : ''}limit=500`), loadRoster()]);
  const tbody = $('#case-table tbody');
  tbody.replaceChildren();
  for (const c of cases) {
    const tr = el('tr', undefined, { 'data-code': c.code, 'data-status': c.status, class: c.overdue ? 'overdue' : '' });
    tr.append(
      el('td', c.code),
      el('td', t(c.petitionType)),
      el('td', word('category', c.category), { title: c.category }),
      el('td', word('status', c.status), { class: `status status-${c.status}` }),
      el('td', c.village),
      person('td', c.assigneeId),
      el('td', new Date(c.dueAt).toLocaleDateString(state.lang, COMMUNE_TIME)),
    );
    tr.addEventListener('click', () => openCase(c.code).catch((e) => say(e.message)));
    tbody.append(tr);
  }
}

async function openCase(code) {
  const { case: c } = await api('GET', `/admin/api/console/cases/${encodeURIComponent(code)}`);
  state.caseCode = code;
  $('#case-detail').hidden = false;
  if (state.roster.size === 0) await loadRoster();
  const head = $('#case-code');
  head.textContent = `${c.code} — ${t(c.petitionType)} — ${word('status', c.status)}${c.assigneeId ? ` — ${personText(c.assigneeId)}` : ''}`;
  head.dataset.status = c.status;
  head.title = c.assigneeId || '';
  $('#case-meta').textContent = `${t('category')}: ${word('category', c.category)} · ${t('village')}: ${c.village} · ${t('due')}: ${when(c.dueAt)}`;
  $('#case-content').textContent = c.content;
  // A rejection carries its reason, a resolution the answer: each under its own label.
  const closing = $('#case-resolution');
  closing.replaceChildren();
  closing.hidden = !c.resolution;
  closing.className = c.resolution ? `resolution status-${c.status}` : 'resolution';
  if (c.resolution) closing.append(el('strong', c.status === 'rejected' ? t('reasonLabel') : t('answerLabel')), document.createTextNode(` (${personText(c.resolution.by)}, ${when(c.resolution.at)}): ${c.resolution.answer}`));
  const ol = $('#case-history');
  ol.replaceChildren();
  for (const h of c.history) {
    const li = el('li', `${when(h.at)} · `);
    li.append(person('span', h.by), document.createTextNode(` · ${word('event', h.what)}`));
    if (h.officialId && h.officialId !== h.by) li.append(document.createTextNode(' → '), person('span', h.officialId));
    if (h.note) li.append(...historyNote(h));
    ol.append(li);
  }
  officialOptions($('#assign-form select[name=officialId]'), t('pickAssignee'));
  const closed = c.status === 'resolved' || c.status === 'rejected';
  for (const id of ['#assign-form', '#resolve-form', '#reject-form']) $(id).hidden = closed;
  const chat = $('#case-conversation');
  chat.replaceChildren();
  for (const m of c.conversation || []) {
    chat.append(el('li', `${new Date(m.at).toLocaleString(state.lang, COMMUNE_TIME)} · ${m.direction === 'in' ? t('you') : t('bot')}: ${m.text}`));
  }
  if (!c.conversation || c.conversation.length === 0) chat.append(el('li', '—'));
}

// A history line's note in words: a reminder's kind; an escalation's "<n>: <ids>" as the officials told.
function historyNote(h) {
  if (h.what === 'reminded') return [document.createTextNode(` — ${word('notice', h.note)}`)];
  const escalated = h.what === 'escalated' ? /^(\d+): (.*)$/.exec(h.note) : null;
  if (!escalated) return [document.createTextNode(` — ${h.note}`)];
  const ids = escalated[2].split(',').map((x) => x.trim()).filter(Boolean);
  const out = [document.createTextNode(` — ${escalated[1]} ${t('workingDaysLate')}: `)];
  ids.forEach((id, i) => out.push(...(i ? [document.createTextNode(', ')] : []), person('span', id)));
  return out;
}

async function caseAction(action, body) {
  try {
    await api('POST', `/admin/api/console/cases/${encodeURIComponent(state.caseCode)}/${action}`, body);
    await openCase(state.caseCode);
    await loadCases();
  } catch (e) {
    say(e.message);
  }
}

// "Gặp cán bộ": the open hand-offs, newest activity first, refreshed every 10 s while the section is shown;
// one in full with its messages; take (an official as themselves, an admin for the official picked), reply, end.
let handoffTimer = null;

function stopHandoffRefresh() {
  clearInterval(handoffTimer);
  handoffTimer = null;
}

const when = (ms) => new Date(ms).toLocaleString(state.lang, COMMUNE_TIME);
const officialName = (id) => personText(id);
const errorText = (e) => `${e.message}${e.data && e.data.error && e.data.error.problems ? `: ${e.data.error.problems.map((p) => p.message).join('; ')}` : ''}`;

function holdsIt(h) {
  return state.user.role === 'admin' || (!!h.officialId && h.officialId === state.user.officialId);
}

function maySupervise() {
  const me = state.user.officialId ? state.roster.get(state.user.officialId) : null;
  return !!me && SUPERVISOR_ROLES.includes(me.role);
}

async function loadHandoffs() {
  // The roster names who took each one and, for an admin, whom to take it for.
  await loadRoster();
  const select = $('#handoff-take select[name=officialId]');
  if (select) officialOptions(select, t('pickOfficial'));
  await loadHandoffList();
  if (state.handoff) await openHandoff(state.handoff.code);
  handoffTimer = setInterval(refreshHandoffs, HANDOFF_REFRESH_MS);
}

async function refreshHandoffs() {
  const section = $('#handoffs');
  if (!section || section.hidden || document.hidden) return;
  try {
    await loadHandoffList();
    // New words from the citizen show up in the open one; the reply being typed is left alone.
    if (state.handoff && state.handoff.status !== 'ended') await openHandoff(state.handoff.code);
  } catch (e) {
    if (e.status === 401) stopHandoffRefresh();
    say(errorText(e));
  }
}

// A response that left before a newer request (a refresh racing a take or an end) is dropped.
let handoffListSeq = 0;
let handoffSeq = 0;

async function loadHandoffList() {
  const seq = ++handoffListSeq;
  const { handoffs } = await api('GET', '/admin/api/handoffs');
  if (seq !== handoffListSeq) return;
  handoffs.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
  const tbody = $('#handoff-table tbody');
  tbody.replaceChildren();
  $('#handoff-none').hidden = handoffs.length > 0;
  for (const h of handoffs) {
    const classes = [h.status, h.officialId && h.officialId === state.user.officialId ? 'mine' : '', state.handoff && state.handoff.code === h.code ? 'selected' : ''];
    const tr = el('tr', undefined, { 'data-code': h.code, 'data-status': h.status, class: classes.filter(Boolean).join(' ') });
    const cell = (label, text) => el('td', text, { 'data-label': t(label) });
    const topic = `${h.topic || t('noTopic')}${h.waitingMessages ? ` · ${h.waitingMessages} ${t('citizenMessages')}` : ''}`;
    tr.append(
      cell('code', h.code),
      cell('status', t(`handoff.${h.status}`)),
      person('td', h.officialId, { 'data-label': t('heldBy') }),
      cell('topic', topic),
      cell('channel', word('channel', h.channel)),
      cell('since', `${when(h.createdAt)} · ${t('lastActivity')} ${when(h.lastActivityAt)}`),
    );
    tr.addEventListener('click', () => openHandoff(h.code).catch((e) => say(errorText(e))));
    tbody.append(tr);
  }
}

async function openHandoff(code) {
  const seq = ++handoffSeq;
  try {
    const { handoff } = await api('GET', `/admin/api/handoffs/${encodeURIComponent(code)}`);
    if (seq === handoffSeq) showHandoff(handoff);
  } catch (e) {
    if (seq !== handoffSeq) return;
    // Taken by another official meanwhile, or gone: its detail is not this official's to read any more.
    if (e.status === 403 || e.status === 404) hideHandoff();
    throw e;
  }
}

function hideHandoff() {
  state.handoff = null;
  $('#handoff-detail').hidden = true;
  for (const tr of document.querySelectorAll('#handoff-table tr.selected')) tr.classList.remove('selected');
}

function showHandoff(h) {
  const changed = !state.handoff || state.handoff.code !== h.code;
  state.handoff = h;
  if (changed) state.reply = null;
  for (const tr of document.querySelectorAll('#handoff-table tbody tr')) tr.classList.toggle('selected', tr.dataset.code === h.code);
  $('#handoff-detail').hidden = false;
  $('#handoff-title').textContent = `${h.code} — ${t(`handoff.${h.status}`)}`;
  $('#handoff-title').dataset.status = h.status;
  const meta = [
    `${t('topic')}: ${h.topic || t('noTopic')}`,
    `${t('channel')}: ${word('channel', h.channel)}${h.village ? ` · ${h.village}` : ''}`,
    `${t('since')}: ${when(h.createdAt)}`,
    `${t('heldBy')}: ${h.officialId ? officialName(h.officialId) : '—'}`,
  ];
  if (h.status === 'ended') meta.push(`${t(`handoff.ended`)} ${h.endedAt ? when(h.endedAt) : ''}: ${h.endReason ? t(`end.${h.endReason}`) : '—'}${h.caseCode ? ` · ${t('caseFiled')} ${h.caseCode}` : ''}`);
  $('#handoff-meta').replaceChildren(...meta.flatMap((line, i) => (i ? [el('br'), document.createTextNode(line)] : [document.createTextNode(line)])));
  const ol = $('#handoff-messages');
  ol.replaceChildren();
  for (const m of h.messages) {
    const li = el('li', undefined, { class: m.from === 'official' ? 'me' : 'bot', 'data-from': m.from });
    const who = m.from === 'official' ? (m.officialId ? officialName(m.officialId) : t('official')) : t('you');
    li.append(el('span', `${who} · ${when(m.at)}`, { class: 'who', ...(m.officialId ? { title: m.officialId } : {}) }), el('span', m.text, { class: 'text' }));
    ol.append(li);
  }
  if (h.messages.length === 0) ol.append(el('li', t('noMessages'), { class: 'trial' }));
  const open = h.status !== 'ended';
  $('#handoff-take').hidden = h.status !== 'waiting';
  $('#handoff-reply').hidden = !(h.status === 'active' && holdsIt(h));
  $('#handoff-end').hidden = !(open && (holdsIt(h) || maySupervise()));
  const select = $('#handoff-take select[name=officialId]');
  if (select && changed) select.value = h.notifiedIds.find((id) => state.roster.has(id)) || '';
}

async function handoffAction(action, body, done) {
  const code = state.handoff.code;
  const buttons = document.querySelectorAll('#handoff-detail button');
  for (const b of buttons) b.disabled = true;
  try {
    const r = await api('POST', `/admin/api/handoffs/${encodeURIComponent(code)}/${action}`, body);
    // The action's answer is the latest word: a refresh that left meanwhile is dropped.
    handoffSeq++;
    showHandoff(r.handoff);
    say(done(r));
    return true;
  } catch (e) {
    say(errorText(e));
    // Show what changed meanwhile (another official took it, it ended); the error stays in view.
    await openHandoff(code).catch(() => undefined);
    return false;
  } finally {
    for (const b of buttons) b.disabled = false;
    await loadHandoffList().catch(() => undefined);
  }
}

function takeHandoff(ev) {
  ev.preventDefault();
  const select = ev.target.elements.officialId;
  return handoffAction('take', select ? { officialId: select.value } : {}, (r) => `${t('tookIt')} ${r.handoff.code} — ${officialName(r.handoff.officialId)}`);
}

async function replyHandoff(ev) {
  ev.preventDefault();
  const box = ev.target.elements.text;
  const text = box.value.trim();
  if (!text) return;
  // The same words sent again after a failure carry the same id: the citizen gets them once.
  if (!state.reply || state.reply.text !== text) state.reply = { text, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}` };
  const ok = await handoffAction('reply', { text, id: state.reply.id }, (r) => (r.delivered === 'kept' ? t('replyKept') : t('replySent')));
  if (ok) {
    box.value = '';
    state.reply = null;
  }
}

function endHandoff() {
  if (!confirm(t('confirmEnd'))) return;
  return handoffAction('end', {}, () => t('handoffEnded'));
}

// "Lịch hẹn": the desk's appointments of one day (commune time), attendance, the result date of a dossier
// handed in, and the reminders no platform rule let out. The API has no calendar of its own to offer the
// page, so the day buttons step over weekends only; a holiday shows as a day with no appointments.
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000; // Vietnam keeps UTC+7 all year
const communeDayOf = (ms) => new Date(ms + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
const dmy = (iso) => iso.split('-').reverse().join('/');
const hm = (ms) => new Date(ms).toLocaleTimeString('vi-VN', { ...COMMUNE_TIME, hour: '2-digit', minute: '2-digit', hour12: false });
const whenShort = (ms) => new Date(ms).toLocaleString(state.lang, { ...COMMUNE_TIME, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

function stepWeekday(iso, step) {
  const d = new Date(`${iso}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + step);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

/** yyyy-mm-dd from a date input, or dd/mm/yyyy typed where the browser has no date picker; null if neither. */
function parseDay(text) {
  const v = String(text || '').trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const parts = m ? [m[1], m[2], m[3]] : (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v)) ? [m[3], m[2].padStart(2, '0'), m[1].padStart(2, '0')] : null;
  if (!parts) return null;
  const iso = parts.join('-');
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

const apptDayInput = () => $('#appt-day input[name=day]');

async function loadAppointments() {
  // The roster names the official answerable for a result and, for an admin, whom to name.
  await loadRoster();
  if (!apptDayInput().value) apptDayInput().value = communeDayOf(Date.now());
  await Promise.all([loadAppointmentDay(apptDayInput().value), loadUndeliverable()]);
}

function showAppointmentDay(day) {
  const iso = parseDay(day);
  if (!iso) return say(t('badDay'));
  apptDayInput().value = iso;
  loadAppointmentDay(iso).catch((e) => say(errorText(e)));
}

// A day's list that left before a newer one (a quick click on "next") is dropped.
let apptSeq = 0;

async function loadAppointmentDay(day) {
  const seq = ++apptSeq;
  const r = await api('GET', `/admin/api/appointments?day=${encodeURIComponent(day)}`);
  if (seq !== apptSeq) return;
  state.apptDay = r.day;
  // The server's calendar knows the holidays and make-up days: the day buttons follow it.
  state.apptSteps = { day: r.day, '-1': r.previousWorkingDay, '1': r.nextWorkingDay };
  apptDayInput().value = r.day;
  const weekday = new Date(`${r.day}T00:00:00Z`).toLocaleDateString(state.lang, { timeZone: 'UTC', weekday: 'long' });
  $('#appt-title').textContent = `${t('appointmentsOn')} ${weekday} ${dmy(r.day)}${r.working === false ? ` (${t('dayOff')})` : ''}`;
  const tbody = $('#appt-table tbody');
  tbody.replaceChildren();
  $('#appt-none').hidden = r.appointments.length > 0;
  for (const a of r.appointments) tbody.append(appointmentRow(a));
}

function resultText(res) {
  if (!res) return '—';
  const who = res.officialId ? ` · ${officialName(res.officialId)}` : '';
  return `${dmy(res.day)} (${word('result', res.status)}${res.moves ? `, ${res.moves} ${t('moved')}` : ''})${who}`;
}

// The procedure by its name; its id only in the tooltip (shown as is when the catalogue no longer has it).
function procedureCell(a) {
  const name = a.procedureName && (state.lang === 'en' ? a.procedureName.en || a.procedureName.vi : a.procedureName.vi);
  return el('td', name || a.procedureId || a.service || '—', { 'data-label': t('procedure'), class: 'procedure', ...(a.procedureId ? { title: a.procedureId } : {}) });
}

function appointmentRow(a) {
  const tr = el('tr', undefined, { 'data-code': a.code, 'data-status': a.status, class: a.status });
  const cell = (label, text) => el('td', text, { 'data-label': t(label), class: label });
  const actions = el('td', undefined, { class: 'appt-actions' });
  if (a.status === 'booked') {
    const came = el('button', t('markAttended'), { type: 'button', 'data-action': 'attended' });
    came.addEventListener('click', () => apptAction(a.code, 'POST', 'attendance', { outcome: 'attended' }, t('markedAttended')));
    const absent = el('button', t('markNoShow'), { type: 'button', 'data-action': 'no_show', class: 'secondary' });
    absent.addEventListener('click', () => apptAction(a.code, 'POST', 'attendance', { outcome: 'no_show' }, t('markedNoShow')));
    actions.append(came, absent);
  }
  if (a.status === 'no_show') {
    // Someone marked absent who turns up late (or a slip of the finger) is marked attended after all.
    const came = el('button', t('markAttended'), { type: 'button', 'data-action': 'attended' });
    came.addEventListener('click', () => apptAction(a.code, 'POST', 'attendance', { outcome: 'attended' }, t('markedAttended')));
    actions.append(came);
  }
  if (a.status === 'attended' && (!a.result || a.result.status === 'promised')) actions.append(resultForm(a));
  tr.append(
    cell('slot', `${hm(a.start)}–${hm(a.end)}`),
    cell('code', a.code),
    cell('citizen', `${a.name}${a.phone ? ` · ${a.phone}` : ''}`),
    procedureCell(a),
    cell('status', word('appt', a.status)),
    cell('resultDate', resultText(a.result)),
    actions,
  );
  return tr;
}

// Record (or move, with a reason the citizen is told) the result date; once set, "result ready".
function resultForm(a) {
  const form = el('form', undefined, { class: 'result-form inline-form' });
  const day = el('input', undefined, { type: 'date', name: 'day', required: '', 'aria-label': t('resultDate') });
  if (a.result) day.value = a.result.day;
  form.append(day);
  if (a.result) form.append(el('input', undefined, { name: 'reason', maxlength: '500', placeholder: t('moveReason'), 'aria-label': t('moveReason') }));
  else if (state.user.role === 'admin') {
    // An admin names the official answerable; an official is answerable themselves.
    const select = el('select', undefined, { name: 'officialId', required: '', 'aria-label': t('answerable') });
    officialOptions(select, t('answerable'));
    if (state.user.officialId && state.roster.has(state.user.officialId)) select.value = state.user.officialId;
    form.append(select);
  }
  form.append(el('button', a.result ? t('moveResultDate') : t('setResultDate'), { type: 'submit', 'data-action': 'result-date' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = form.elements;
    const iso = parseDay(f.day.value);
    if (!iso) return say(t('badDay'));
    const body = { day: iso };
    if (f.reason && f.reason.value.trim()) body.reason = f.reason.value.trim();
    if (f.officialId && f.officialId.value) body.officialId = f.officialId.value;
    apptAction(a.code, 'PUT', 'result-date', body, a.result ? t('resultDateMoved') : t('resultDateSaved'));
  });
  if (a.result) {
    const ready = el('button', t('resultReady'), { type: 'button', 'data-action': 'ready', class: 'secondary' });
    ready.addEventListener('click', () => apptAction(a.code, 'POST', 'result-ready', {}, t('resultReadySaved')));
    form.append(ready);
  }
  return form;
}

async function apptAction(code, method, action, body, done) {
  const buttons = [...document.querySelectorAll('#appt-table button')];
  for (const b of buttons) b.disabled = true;
  let message;
  try {
    const r = await api(method, `/admin/api/appointments/${encodeURIComponent(code)}/${action}`, body);
    message = `${done} ${r.appointment.code}`;
  } catch (e) {
    message = errorText(e);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
  // The list shows what is stored now, whether the change was taken or refused; then the word on it.
  if (state.apptDay) await loadAppointmentDay(state.apptDay).catch(() => undefined);
  say(message);
}

async function loadUndeliverable() {
  const { reminders } = await api('GET', '/admin/api/appointment-reminders/undeliverable?limit=100');
  const ul = $('#undeliverable-list');
  ul.replaceChildren();
  if (reminders.length === 0) ul.append(el('li', t('nothingUndeliverable'), { class: 'hint' }));
  for (const r of reminders) {
    const li = el('li', undefined, { 'data-code': r.code, 'data-reason': r.reason });
    const code = el('a', r.code, { href: '#appointments', 'data-day': communeDayOf(r.start) });
    code.addEventListener('click', (ev) => {
      ev.preventDefault();
      showAppointmentDay(communeDayOf(r.start));
    });
    li.append(
      el('strong', r.name || '—'),
      document.createTextNode(` · ${word('channel', r.channel)} · `),
      code,
      document.createTextNode(` · ${t('appointmentAt')} ${whenShort(r.start)}`),
      el('br'),
      document.createTextNode(`${word('remind', r.kind)}, ${t('dueAt')} ${whenShort(r.at)}: `),
      el('span', word('why', r.reason), { class: 'why' }),
    );
    ul.append(li);
  }
}

function resetTry() {
  state.tryState = null;
  state.trySeq = 0;
  const log = $('#try-log');
  if (log) log.replaceChildren();
}

function tryLine(who, text, cls) {
  const li = el('li', undefined, { class: cls });
  li.append(el('span', who, { class: 'who' }), el('span', text, { class: 'text' }));
  $('#try-log').append(li);
  li.scrollIntoView({ block: 'nearest' });
  return li;
}

async function tryTurn(input, shownText) {
  tryLine(t('you'), shownText, 'me');
  try {
    const r = await api('POST', `/admin/api/flows/${encodeURIComponent(state.flowId)}/try`, { source: $('#source').value, state: state.tryState, input, seq: ++state.trySeq });
    state.tryState = r.state;
    for (const reply of r.replies) {
      if (reply.kind === 'trial-action') {
        tryLine('⚙', reply.text, 'trial');
        continue;
      }
      const li = tryLine(t('bot'), reply.kind === 'image' ? `[${reply.caption || reply.url}]` : reply.text, 'bot');
      if (reply.kind === 'message' && reply.choices.length > 0) {
        const box = el('div', undefined, { class: 'choices' });
        for (const c of reply.choices) {
          const b = el('button', c.title, { type: 'button', 'data-payload': c.payload });
          b.addEventListener('click', () => tryTurn({ type: 'text', text: c.title, payload: c.payload }, c.title));
          box.append(b);
        }
        li.append(box);
      }
    }
  } catch (e) {
    const problems = e.data && e.data.error && e.data.error.problems ? `: ${e.data.error.problems.map((p) => p.message).join('; ')}` : '';
    tryLine('!', `${e.message}${problems}`, 'error');
  }
}

function csv(text) {
  return String(text || '').split(',').map((x) => x.trim()).filter(Boolean);
}

async function loadOfficials() {
  const officials = await loadRoster();
  const tbody = $('#roster tbody');
  tbody.replaceChildren();
  for (const o of officials) {
    const tr = el('tr', undefined, { 'data-official': o.id, class: o.active ? '' : 'inactive' });
    const accounts = o.accounts.map((a) => `${word('channel', a.channel)} ${a.userId}`).join(', ') || '—';
    const cell = (label, text, attrs) => el('td', text, { 'data-label': t(label), ...(attrs || {}) });
    tr.append(
      cell('name', o.name, { title: o.id }),
      cell('role', word('role', o.role)),
      cell('villages', o.villages.join(', ') || '—'),
      cell('categories', o.categories.map((c) => word('category', c)).join('; ') || '—', { title: o.categories.join(', ') }),
      cell('onDuty', o.onDuty ? t('yes') : t('no')),
      cell('accounts', accounts),
    );
    if (state.user.role === 'admin') tr.addEventListener('click', () => editOfficial(o));
    tbody.append(tr);
  }
}

function editOfficial(o) {
  const form = $('#official-form');
  if (!form) return;
  state.officialId = o.id;
  form.hidden = false;
  $('#official-title').textContent = `${o.name} — ${word('role', o.role)}`;
  $('#official-title').title = o.id;
  form.elements.role.value = o.role;
  form.elements.villages.value = o.villages.join(', ');
  form.elements.categories.value = o.categories.join(', ');
  form.elements.onDuty.checked = o.onDuty;
  form.elements.active.checked = o.active;
  $('#link-code-shown').textContent = '';
}

async function saveOfficial(ev) {
  ev.preventDefault();
  const f = ev.target.elements;
  try {
    await api('PATCH', `/admin/api/officials/${encodeURIComponent(state.officialId)}`, { role: f.role.value, villages: csv(f.villages.value), categories: csv(f.categories.value), onDuty: f.onDuty.checked, active: f.active.checked });
    say(t('saved'));
    await loadOfficials();
  } catch (e) {
    const problems = e.data && e.data.error && e.data.error.problems ? `: ${e.data.error.problems.map((p) => p.message).join('; ')}` : '';
    say(`${e.message}${problems}`);
  }
}

async function issueLinkCode() {
  try {
    const r = await api('POST', `/admin/api/officials/${encodeURIComponent(state.officialId)}/link-code`, {});
    $('#link-code-shown').textContent = `${t('linkCodeFor')} LIENKET ${r.code} · ${t('until')} ${new Date(r.expiresAt).toLocaleString(state.lang, COMMUNE_TIME)}`;
  } catch (e) {
    say(e.message);
  }
}

async function loadUsers() {
  const [{ users }] = await Promise.all([api('GET', '/admin/api/users'), loadRoster()]);
  const pick = $('#user-form select[name=officialId]');
  if (pick && pick.options.length <= 1) officialOptions(pick, t('noOfficial'));
  const tbody = $('#user-table tbody');
  tbody.replaceChildren();
  for (const u of users) {
    const tr = el('tr', undefined, { 'data-user': u.username, class: u.active ? '' : 'inactive' });
    const actions = el('td');
    const toggle = el('button', u.active ? t('disable') : t('enable'), { type: 'button', class: 'toggle' });
    toggle.addEventListener('click', () => changeUser(u.username, { active: !u.active }));
    const reset = el('button', t('resetPassword'), { type: 'button', class: 'reset' });
    reset.addEventListener('click', () => {
      const password = prompt(t('newPassword'));
      if (password) changeUser(u.username, { password }, t('passwordChanged'));
    });
    actions.append(toggle, reset);
    tr.append(el('td', u.username), el('td', word('userRole', u.role)), person('td', u.officialId), el('td', u.active ? t('enabled') : t('disabled')), actions);
    tbody.append(tr);
  }
}

async function changeUser(username, patch, done) {
  try {
    await api('PATCH', `/admin/api/users/${encodeURIComponent(username)}`, patch);
    say(done || t('saved'));
    await loadUsers();
  } catch (e) {
    const problems = e.data && e.data.error && e.data.error.problems ? `: ${e.data.error.problems.map((p) => p.message).join('; ')}` : '';
    say(`${e.message}${problems}`);
  }
}

async function createUser(ev) {
  ev.preventDefault();
  const form = ev.target;
  const f = form.elements;
  const body = { username: f.username.value, password: f.password.value, role: f.role.value };
  if (f.officialId.value) body.officialId = f.officialId.value;
  try {
    const r = await api('POST', '/admin/api/users', body);
    form.reset();
    say(`${t('created')}: ${r.user.username}`);
    await loadUsers();
  } catch (e) {
    f.password.value = '';
    const problems = e.data && e.data.error && e.data.error.problems ? `: ${e.data.error.problems.map((p) => p.message).join('; ')}` : '';
    say(`${e.message}${problems}`);
  }
}

async function loadPending() {
  const [{ people }] = await Promise.all([api('GET', '/admin/api/pending-notices'), loadRoster()]);
  const ul = $('#pending-list');
  ul.replaceChildren();
  if (people.length === 0) ul.append(el('li', t('nothingPending')));
  for (const p of people) {
    // An official with no linked account is named; a citizen is known by the chat account only.
    const who = p.channel === 'unlinked' ? `${personText(p.user)} (${word('channel', p.channel)})` : `${word('channel', p.channel)} ${p.user}`;
    for (const n of p.notices) {
      const li = el('li', `${when(n.at)} · ${who} · ${n.caseCode} · ${word('notice', n.kind)} · `, { 'data-kind': n.kind, 'data-reason': n.reason, ...(p.channel === 'unlinked' ? { title: p.user } : {}) });
      li.append(el('span', word('why', n.reason), { class: 'why' }), document.createTextNode(` — ${n.text}`));
      ul.append(li);
    }
  }
}

// What an audit line is about, in words: an official by name and role, a data file by its title, a
// case or appointment by its code; the stored target stays in the tooltip.
function auditTarget(target) {
  const cut = String(target).indexOf(':');
  const kind = cut > 0 ? target.slice(0, cut) : '';
  const id = cut > 0 ? target.slice(cut + 1) : target;
  if (kind === 'official') return person('span', id);
  const text = kind === 'data' && TEXT.vi[`data.${id}`] ? t(`data.${id}`) : id;
  return el('span', text, { title: target });
}

async function loadAudit() {
  const [{ entries }] = await Promise.all([api('GET', '/admin/api/audit?limit=100'), loadRoster()]);
  const ul = $('#audit-list');
  ul.replaceChildren();
  for (const e of entries) {
    const li = el('li', `${when(e.at)} · ${e.actor} · ${word('audit', e.action)} · `, { 'data-action': e.action });
    li.append(auditTarget(e.target));
    ul.append(li);
  }
}

function route() {
  show((location.hash || '#dashboard').slice(1).split('/')[0]);
}

async function boot() {
  await loadWords().catch(() => undefined);
  translate();
  setupGovernance();
  const select = $('#case-filters select[name=status]');
  select.append(el('option', t('openStatuses'), { value: OPEN_STATUSES, 'data-i18n': 'openStatuses' }), el('option', t('closedStatuses'), { value: CLOSED_STATUSES, 'data-i18n': 'closedStatuses' }));
  for (const s of STATUSES) select.append(el('option', word('status', s), { value: s, 'data-i18n': `status.${s}` }));
  const categories = $('#case-filters select[name=category]');
  for (const c of categoryIds()) categories.append(el('option', word('category', c), { value: c, 'data-i18n': `category.${c}` }));
  const types = $('#case-filters select[name=type]');
  for (const p of PETITION_TYPES) types.append(el('option', t(p), { value: p, 'data-i18n': p }));
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('lang', state.lang);
    translate();
    if (state.user) route();
  });
  $('#login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    try {
      const r = await api('POST', '/admin/api/login', { username: form.get('username'), password: form.get('password') });
      state.user = r.user;
      state.csrf = r.csrf;
      say('');
      route();
    } catch (e) {
      say(e.status === 401 ? t('loginFailed') : e.message);
    }
  });
  $('#logout').addEventListener('click', async () => {
    await api('POST', '/admin/api/logout').catch(() => undefined);
    state.user = null;
    state.csrf = null;
    location.reload();
  });
  $('#source').addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => check().catch((e) => say(e.message)), 400);
  });
  $('#show-diff').addEventListener('click', () => showDiff());
  $('#data-source').addEventListener('input', () => {
    clearTimeout(dataCheckTimer);
    dataCheckTimer = setTimeout(() => checkData().catch((e) => say(e.message)), 400);
  });
  $('#data-show-diff').addEventListener('click', () => showDiff($('#data-diff'), state.dataPublished, $('#data-source').value));
  const dataPublishButton = $('#data-publish');
  if (dataPublishButton) dataPublishButton.addEventListener('click', publishData);
  const tryForm = $('#try-form');
  if (tryForm) {
    tryForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = ev.target.elements.text;
      const text = input.value.trim();
      input.value = '';
      if (text) tryTurn({ type: 'text', text }, text);
    });
    $('#try-reset').addEventListener('click', resetTry);
  }
  const officialForm = $('#official-form');
  if (officialForm) {
    const roles = officialForm.elements.role;
    for (const r of OFFICIAL_ROLES) roles.append(el('option', word('role', r), { value: r, 'data-i18n': `role.${r}` }));
    officialForm.addEventListener('submit', saveOfficial);
    $('#link-code').addEventListener('click', issueLinkCode);
  }
  $('#user-form').addEventListener('submit', createUser);
  const publishButton = $('#publish');
  if (publishButton) publishButton.addEventListener('click', publish);
  $('#case-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadCases().catch((e) => say(e.message));
  });
  $('#assign-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    caseAction('assign', { officialId: new FormData(ev.target).get('officialId') });
  });
  $('#reject-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    caseAction('reject', { reason: new FormData(ev.target).get('reason') });
  });
  $('#handoff-take').addEventListener('submit', takeHandoff);
  $('#handoff-reply').addEventListener('submit', replyHandoff);
  $('#handoff-reply textarea').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      ev.target.form.requestSubmit();
    }
  });
  $('#handoff-end').addEventListener('click', endHandoff);
  $('#appt-day').addEventListener('submit', (ev) => {
    ev.preventDefault();
    showAppointmentDay(apptDayInput().value);
  });
  apptDayInput().addEventListener('change', () => {
    if (apptDayInput().value) showAppointmentDay(apptDayInput().value);
  });
  const stepDay = (dir) => {
    const shown = parseDay(apptDayInput().value) || communeDayOf(Date.now());
    const known = state.apptSteps && state.apptSteps.day === shown ? state.apptSteps[String(dir)] : null;
    return known || stepWeekday(shown, dir);
  };
  $('#appt-prev').addEventListener('click', () => showAppointmentDay(stepDay(-1)));
  $('#appt-next').addEventListener('click', () => showAppointmentDay(stepDay(1)));
  $('#appt-today').addEventListener('click', () => showAppointmentDay(communeDayOf(Date.now())));
  $('#resolve-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    caseAction('resolve', { answer: new FormData(ev.target).get('answer') });
  });
  window.addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#flows/') && !location.hash.startsWith('#data/')) route();
  });
  api('GET', '/admin/api/session')
    .then((r) => {
      state.user = r.user;
      state.csrf = r.csrf;
    })
    .catch(() => undefined)
    .finally(route);
}

document.addEventListener('DOMContentLoaded', boot);
