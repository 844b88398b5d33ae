// The commune console: vanilla JS, no build step. Every change carries the session's CSRF token;
// every text from the server is put in with textContent, never as HTML.
'use strict';

const TEXT = {
  vi: {
    title: 'Bảng điều khiển UBND xã', logout: 'Đăng xuất', login: 'Đăng nhập', username: 'Tên đăng nhập', password: 'Mật khẩu',
    dashboard: 'Tổng quan', flows: 'Kịch bản', cases: 'Hồ sơ', officials: 'Cán bộ', audit: 'Nhật ký',
    diff: 'So sánh với bản đang dùng', publish: 'Xuất bản', history: 'Các phiên bản đã xuất bản', rollback: 'Quay lại bản này',
    anyStatus: 'Mọi tình trạng', village: 'Thôn', category: 'Lĩnh vực', overdue: 'Quá hạn', filter: 'Lọc', exportCsv: 'Xuất CSV',
    code: 'Mã', status: 'Tình trạng', assignee: 'Cán bộ', due: 'Hạn', officialId: 'Mã cán bộ', assign: 'Giao việc',
    answer: 'Trả lời người dân', resolve: 'Đã giải quyết', checking: 'Đang kiểm tra…', checkOk: 'Không có lỗi — có thể xuất bản.',
    checkBad: 'Có lỗi — chưa thể xuất bản.', published: 'Đã xuất bản phiên bản', loginFailed: 'Sai tên đăng nhập hoặc mật khẩu.',
    open: 'Đang mở', overdueCount: 'Quá hạn', median: 'Thời gian giải quyết (trung vị)', satisfaction: 'Hài lòng (1–5)',
    days: 'ngày', noDiff: 'Không có thay đổi.', linkCode: 'Cấp mã liên kết', confirmPublish: 'Xuất bản bản này cho người dân?',
    lang: 'English', line: 'dòng',
  },
  en: {
    title: 'Commune console', logout: 'Log out', login: 'Log in', username: 'Username', password: 'Password',
    dashboard: 'Dashboard', flows: 'Flows', cases: 'Cases', officials: 'Officials', audit: 'Audit log',
    diff: 'Diff against the published version', publish: 'Publish', history: 'Published versions', rollback: 'Roll back to this',
    anyStatus: 'Any status', village: 'Village', category: 'Category', overdue: 'Overdue', filter: 'Filter', exportCsv: 'Export CSV',
    code: 'Code', status: 'Status', assignee: 'Official', due: 'Due', officialId: 'Official id', assign: 'Assign',
    answer: 'Answer to the citizen', resolve: 'Resolve', checking: 'Checking…', checkOk: 'No problems — ready to publish.',
    checkBad: 'Problems found — cannot publish yet.', published: 'Published version', loginFailed: 'Wrong username or password.',
    open: 'Open', overdueCount: 'Overdue', median: 'Median time to resolve', satisfaction: 'Satisfaction (1–5)',
    days: 'days', noDiff: 'No changes.', linkCode: 'Issue link code', confirmPublish: 'Publish this version to citizens?',
    lang: 'Tiếng Việt', line: 'line',
  },
};
const STATUSES = ['received', 'assigned', 'in_progress', 'transferred', 'resolved', 'rejected'];

const state = { lang: localStorage.getItem('lang') === 'en' ? 'en' : 'vi', user: null, csrf: null, flowId: null, published: '', caseCode: null };
const $ = (sel) => document.querySelector(sel);
const t = (key) => TEXT[state.lang][key] || key;

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
  $('#lang').textContent = t('lang');
}

function allowed(node) {
  const roles = node.dataset.roles;
  return !roles || (state.user && roles.split(' ').includes(state.user.role));
}

function show(section) {
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
  $('#who').textContent = `${state.user.username} (${state.user.role})`;
  // Buttons and links the role may not use are removed, not just hidden; the API refuses them anyway.
  for (const n of document.querySelectorAll('[data-roles]')) if (!allowed(n)) n.remove();
  const link = document.querySelector(`nav a[href="#${section}"]`);
  const target = link ? section : 'dashboard';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${target}`);
  $(`#${target}`).hidden = false;
  ({ dashboard: loadDashboard, flows: loadFlows, cases: loadCases, officials: loadOfficials, audit: loadAudit })[target]().catch((e) => say(e.message));
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
  const ul = $('#history');
  ul.replaceChildren();
  for (const v of f.history.slice().reverse()) {
    const li = el('li', `v${v.version} · ${new Date(v.publishedAt).toLocaleString(state.lang)} · ${v.publishedBy} `);
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

function showDiff() {
  const pre = $('#diff');
  pre.replaceChildren();
  const lines = lineDiff(state.published, $('#source').value);
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

function caseQuery() {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData($('#case-filters'))) if (v) q.set(k, v);
  return q.toString();
}

async function loadCases() {
  const query = caseQuery();
  $('#csv').href = `/admin/api/cases.csv${query ? `?${query}` : ''}`;
  const { cases } = await api('GET', `/admin/api/console/cases${query ? `?${query}` : ''}`);
  const tbody = $('#case-table tbody');
  tbody.replaceChildren();
  for (const c of cases) {
    const tr = el('tr', undefined, { 'data-code': c.code, class: c.overdue ? 'overdue' : '' });
    tr.append(el('td', c.code), el('td', c.status), el('td', c.village), el('td', c.assigneeId || '—'), el('td', new Date(c.dueAt).toLocaleDateString(state.lang)));
    tr.addEventListener('click', () => openCase(c.code).catch((e) => say(e.message)));
    tbody.append(tr);
  }
}

async function openCase(code) {
  const { case: c } = await api('GET', `/admin/api/console/cases/${encodeURIComponent(code)}`);
  state.caseCode = code;
  $('#case-detail').hidden = false;
  $('#case-code').textContent = `${c.code} — ${c.status}${c.assigneeId ? ` — ${c.assigneeId}` : ''}`;
  $('#case-content').textContent = c.content;
  const ol = $('#case-history');
  ol.replaceChildren();
  for (const h of c.history) ol.append(el('li', `${new Date(h.at).toLocaleString(state.lang)} · ${h.by} · ${h.what}${h.note ? ` — ${h.note}` : ''}`));
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

async function loadOfficials() {
  const { officials } = await api('GET', '/admin/api/officials');
  const ul = $('#official-list');
  ul.replaceChildren();
  for (const o of officials) {
    const li = el('li', `${o.name} (${o.id}, ${o.role}${o.active ? '' : ', inactive'}) · ${o.linked} `);
    if (state.user.role === 'admin') {
      const b = el('button', t('linkCode'), { type: 'button' });
      b.addEventListener('click', async () => {
        try {
          const r = await api('POST', `/admin/api/officials/${encodeURIComponent(o.id)}/link-code`, {});
          say(`${o.name}: LIENKET ${r.code}`);
        } catch (e) {
          say(e.message);
        }
      });
      li.append(b);
    }
    ul.append(li);
  }
}

async function loadAudit() {
  const { entries } = await api('GET', '/admin/api/audit?limit=100');
  const ul = $('#audit-list');
  ul.replaceChildren();
  for (const e of entries) ul.append(el('li', `${new Date(e.at).toLocaleString(state.lang)} · ${e.actor} · ${e.action} · ${e.target}`));
}

function route() {
  show((location.hash || '#dashboard').slice(1).split('/')[0]);
}

function boot() {
  translate();
  const select = $('#case-filters select[name=status]');
  for (const s of STATUSES) select.append(el('option', s, { value: s }));
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
  $('#show-diff').addEventListener('click', showDiff);
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
  $('#resolve-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    caseAction('resolve', { answer: new FormData(ev.target).get('answer') });
  });
  window.addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#flows/')) route();
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
