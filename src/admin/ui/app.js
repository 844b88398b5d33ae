// The commune console: vanilla JS, no build step. Every change carries the session's CSRF token;
// every text from the server is put in with textContent, never as HTML.
'use strict';

// Times are the commune's (Asia/Ho_Chi_Minh), whatever zone the viewer's device is set to.
const COMMUNE_TIME = { timeZone: 'Asia/Ho_Chi_Minh' };

const TEXT = {
  vi: {
    title: 'Bảng điều khiển UBND xã', logout: 'Đăng xuất', login: 'Đăng nhập', username: 'Tên đăng nhập', password: 'Mật khẩu',
    dashboard: 'Tổng quan', flows: 'Kịch bản', cases: 'Hồ sơ', officials: 'Cán bộ', audit: 'Nhật ký',
    diff: 'So sánh với bản đang dùng', publish: 'Xuất bản', history: 'Các phiên bản đã xuất bản', rollback: 'Quay lại bản này',
    anyStatus: 'Mọi tình trạng', anyType: 'Mọi loại', type: 'Loại', feedback: 'Phản ánh', proposal: 'Kiến nghị', village: 'Thôn', category: 'Lĩnh vực', overdue: 'Quá hạn', filter: 'Lọc', exportCsv: 'Xuất CSV',
    code: 'Mã', status: 'Tình trạng', assignee: 'Cán bộ', due: 'Hạn', officialId: 'Mã cán bộ', assign: 'Giao việc',
    answer: 'Trả lời người dân', resolve: 'Đã giải quyết', checking: 'Đang kiểm tra…', checkOk: 'Không có lỗi — có thể xuất bản.',
    checkBad: 'Có lỗi — chưa thể xuất bản.', published: 'Đã xuất bản phiên bản', loginFailed: 'Sai tên đăng nhập hoặc mật khẩu.',
    open: 'Đang mở', overdueCount: 'Quá hạn', median: 'Thời gian giải quyết (trung vị)', satisfaction: 'Hài lòng (1–5)',
    days: 'ngày', noDiff: 'Không có thay đổi.', linkCode: 'Cấp mã liên kết', confirmPublish: 'Xuất bản bản này cho người dân?',
    lang: 'English', line: 'dòng',
    users: 'Tài khoản', pending: 'Tin chờ gửi', queues: 'Hàng đợi', messagesPerDay: 'Tin nhắn theo ngày (14 ngày)',
    conversation: 'Cuộc trò chuyện dẫn đến hồ sơ',
    day: 'Ngày', inbound: 'đến', outbound: 'đi', tryDraft: 'Thử bản nháp', tryHint: 'Gõ như người dân: cuộc trò chuyện chạy bản đang sửa; không gửi, không ghi hồ sơ thật.',
    tryPlaceholder: 'Nhập tin nhắn…', send: 'Gửi', startOver: 'Bắt đầu lại', you: 'Người dân', bot: 'Trợ lý',
    name: 'Họ tên', role: 'Chức vụ', villages: 'Thôn', categories: 'Lĩnh vực', onDuty: 'Trực', accounts: 'Tài khoản liên kết', active: 'Đang làm việc',
    villagesHint: 'Thôn (cách nhau dấu phẩy)', categoriesHint: 'Lĩnh vực (mã, cách nhau dấu phẩy)', save: 'Lưu', saved: 'Đã lưu.',
    newUser: 'Thêm tài khoản', passwordHint: 'Mật khẩu (ít nhất 10 ký tự)', officialIdHint: 'Mã cán bộ (với vai trò official)', create: 'Tạo',
    disable: 'Khóa', enable: 'Mở khóa', resetPassword: 'Đặt lại mật khẩu', newPassword: 'Mật khẩu mới (ít nhất 10 ký tự):', disabled: 'đã khóa', enabled: 'đang dùng',
    created: 'Đã tạo tài khoản', passwordChanged: 'Đã đổi mật khẩu.', pendingHint: 'Những tin chưa gửi được vì ngoài thời hạn nhắn tin của nền tảng; sẽ gửi khi người nhận nhắn lại.',
    nothingPending: 'Không có tin nào đang chờ.', yes: 'có', no: '—', linkCodeFor: 'Mã liên kết (dùng một lần, 24 giờ): nhắn', until: 'hết hạn',
    communeData: 'Dữ liệu xã', dataHint: 'Thủ tục, phân công, ngày nghỉ, giờ làm việc và lịch hẹn tại bộ phận một cửa. Bản xuất bản có hiệu lực sau vài giây, không cần khởi động lại.',
    'data.procedures': 'Thủ tục hành chính', 'data.routing': 'Phân công xử lý', 'data.holidays': 'Ngày nghỉ lễ, nghỉ bù', 'data.office-hours': 'Giờ làm việc và thời hạn', 'data.desk': 'Lịch hẹn tại bộ phận một cửa',
    'hint.procedures': 'Một thủ tục mà lịch hẹn hoặc kịch bản đang dùng thì không xóa được.',
    'hint.routing': 'Hồ sơ đã giao giữ nguyên cán bộ; hồ sơ mới theo phân công mới. Cán bộ mới trong danh sách được thêm vào.',
    'hint.holidays': 'Lịch hẹn đã đặt và hạn giải quyết đã tính giữ nguyên; lịch hẹn và hồ sơ mới dùng bản vừa xuất bản.',
    'hint.office-hours': 'Lịch hẹn đã đặt và hạn giải quyết đã tính giữ nguyên; lịch hẹn và hồ sơ mới dùng bản vừa xuất bản.',
    'hint.desk': 'Lịch hẹn đã đặt giữ nguyên; các giờ còn trống và lời nhắc mới dùng bản vừa xuất bản.',
    notInUse: 'chưa có', fromFile: 'tệp', draft: 'bản đang sửa',
    handoffs: 'Gặp cán bộ', handoffsHint: 'Người dân muốn trao đổi trực tiếp với cán bộ. Nhận một yêu cầu để trả lời; danh sách tự cập nhật mỗi 10 giây.',
    heldBy: 'Cán bộ nhận', topic: 'Nội dung', channel: 'Kênh', since: 'Từ lúc', noHandoffs: 'Không có yêu cầu nào đang mở.', noTopic: '(người dân chưa nêu nội dung)', noMessages: 'Chưa có tin nhắn nào.',
    take: 'Nhận trả lời', replyPlaceholder: 'Trả lời người dân (Ctrl+Enter để gửi)', endHandoff: 'Kết thúc trao đổi', pickOfficial: 'Cán bộ nhận',
    'handoff.waiting': 'Đang chờ cán bộ', 'handoff.active': 'Đang trao đổi', 'handoff.ended': 'Đã kết thúc',
    'end.citizen': 'Người dân kết thúc trao đổi', 'end.official': 'Cán bộ kết thúc trao đổi', 'end.quiet': 'Tự kết thúc vì không ai nhắn thêm',
    'end.unanswered': 'Không cán bộ nào nhận kịp — đã chuyển thành hồ sơ', 'end.page_inbox': 'Nhân viên trang đã trả lời trực tiếp trong hộp thư Messenger',
    citizenMessages: 'tin của người dân', lastActivity: 'tin gần nhất', official: 'Cán bộ', caseFiled: 'hồ sơ',
    tookIt: 'Đã nhận yêu cầu', replySent: 'Đã gửi cho người dân.', replyKept: 'Đã lưu: ngoài thời hạn nhắn tin của nền tảng, tin sẽ gửi khi người dân nhắn lại.',
    handoffEnded: 'Đã kết thúc trao đổi; trợ lý trả lời người dân trở lại.', confirmEnd: 'Kết thúc trao đổi này? Trợ lý sẽ trả lời người dân trở lại.',
    appointments: 'Lịch hẹn', appointmentsHint: 'Lịch hẹn tại bộ phận một cửa theo ngày (giờ Việt Nam). Đánh dấu người dân đã đến hay vắng; với hồ sơ đã nhận, ghi ngày hẹn trả kết quả và báo khi có kết quả.',
    dayOff: 'ngày nghỉ', prevWorkingDay: '‹ Ngày làm việc trước', nextWorkingDay: 'Ngày làm việc sau ›', today: 'Hôm nay', slot: 'Giờ hẹn', citizen: 'Người dân', procedure: 'Thủ tục', resultDate: 'Hẹn trả kết quả',
    noAppointments: 'Không có lịch hẹn nào trong ngày này.', appointmentsOn: 'Lịch hẹn ngày',
    'appt.booked': 'Đã hẹn', 'appt.attended': 'Đã đến', 'appt.no_show': 'Vắng', 'appt.cancelled': 'Đã hủy',
    'result.promised': 'hẹn trả', 'result.ready': 'đã có kết quả', moved: 'lần dời',
    markAttended: 'Đã đến', markNoShow: 'Vắng', markedAttended: 'Đã ghi: người dân đã đến —', markedNoShow: 'Đã ghi: người dân vắng —',
    setResultDate: 'Ghi ngày hẹn trả', moveResultDate: 'Dời ngày hẹn trả', moveReason: 'Lý do dời (gửi cho người dân)', resultReady: 'Đã có kết quả',
    resultDateSaved: 'Đã ghi ngày hẹn trả kết quả; người dân được báo —', resultDateMoved: 'Đã dời ngày hẹn trả kết quả; người dân được báo kèm lời xin lỗi —', resultReadySaved: 'Đã báo người dân đến nhận kết quả —', answerable: 'Cán bộ chịu trách nhiệm',
    badDay: 'Ngày không hợp lệ: nhập dd/mm/yyyy.',
    undeliverable: 'Nhắc hẹn không gửi được', undeliverableHint: 'Những người dân không nhận được tin nhắc hẹn vì quy định của nền tảng; hãy gọi điện nếu có số.', nothingUndeliverable: 'Mọi tin nhắc hẹn đều gửi được.',
    'remind.day_before': 'nhắc trước một ngày', 'remind.two_hours': 'nhắc trước 2 giờ', due: 'Hạn', appointmentAt: 'hẹn lúc', dueAt: 'lẽ ra gửi lúc',
    'why.window_closed': 'Người dân không nhắn cho trang trong 24 giờ trước đó, nền tảng không cho gửi tin nhắc',
    'why.template_sender_missing': 'Cần gửi bằng mẫu tin (ngoài 24 giờ) nhưng hệ thống chưa gửi được mẫu tin',
    'why.no_phone': 'Cần gửi tin Zalo ZNS theo số điện thoại nhưng người dân không để lại số',
    'why.no_linked_account': 'Người nhận không có tài khoản chat liên kết',
  },
  en: {
    title: 'Commune console', logout: 'Log out', login: 'Log in', username: 'Username', password: 'Password',
    dashboard: 'Dashboard', flows: 'Flows', cases: 'Cases', officials: 'Officials', audit: 'Audit log',
    diff: 'Diff against the published version', publish: 'Publish', history: 'Published versions', rollback: 'Roll back to this',
    anyStatus: 'Any status', anyType: 'Any type', type: 'Type', feedback: 'Feedback', proposal: 'Proposal', village: 'Village', category: 'Category', overdue: 'Overdue', filter: 'Filter', exportCsv: 'Export CSV',
    code: 'Code', status: 'Status', assignee: 'Official', due: 'Due', officialId: 'Official id', assign: 'Assign',
    answer: 'Answer to the citizen', resolve: 'Resolve', checking: 'Checking…', checkOk: 'No problems — ready to publish.',
    checkBad: 'Problems found — cannot publish yet.', published: 'Published version', loginFailed: 'Wrong username or password.',
    open: 'Open', overdueCount: 'Overdue', median: 'Median time to resolve', satisfaction: 'Satisfaction (1–5)',
    days: 'days', noDiff: 'No changes.', linkCode: 'Issue link code', confirmPublish: 'Publish this version to citizens?',
    lang: 'Tiếng Việt', line: 'line',
    users: 'Users', pending: 'Pending notices', queues: 'Queues', messagesPerDay: 'Messages per day (14 days)',
    conversation: 'The conversation the case came from',
    day: 'Day', inbound: 'in', outbound: 'out', tryDraft: 'Try the draft', tryHint: 'Type as a citizen: the chat runs the version being edited; nothing is sent or really filed.',
    tryPlaceholder: 'Type a message…', send: 'Send', startOver: 'Start over', you: 'Citizen', bot: 'Assistant',
    name: 'Name', role: 'Role', villages: 'Villages', categories: 'Categories', onDuty: 'On duty', accounts: 'Linked accounts', active: 'Active',
    villagesHint: 'Villages (comma-separated)', categoriesHint: 'Categories (ids, comma-separated)', save: 'Save', saved: 'Saved.',
    newUser: 'New account', passwordHint: 'Password (at least 10 characters)', officialIdHint: 'Official id (for the official role)', create: 'Create',
    disable: 'Disable', enable: 'Enable', resetPassword: 'Reset password', newPassword: 'New password (at least 10 characters):', disabled: 'disabled', enabled: 'active',
    created: 'Account created', passwordChanged: 'Password changed.', pendingHint: 'Messages that could not go out because the platform window was closed; they go out when the person writes again.',
    nothingPending: 'Nothing is waiting.', yes: 'yes', no: '—', linkCodeFor: 'Link code (one use, 24 hours): send', until: 'expires',
    communeData: 'Commune data', dataHint: 'Procedures, routing, days off, office hours and desk appointments. A published version is in use within seconds, without a restart.',
    'data.procedures': 'Administrative procedures', 'data.routing': 'Routing of cases', 'data.holidays': 'Holidays and days off', 'data.office-hours': 'Office hours and time limits', 'data.desk': 'One-stop desk appointments',
    'hint.procedures': 'A procedure that the desk or a flow uses cannot be removed.',
    'hint.routing': 'Cases already assigned keep their official; new cases follow the new routing. New officials in the roster are added.',
    'hint.holidays': 'Appointments already booked and due dates already set do not change; new ones use the published version.',
    'hint.office-hours': 'Appointments already booked and due dates already set do not change; new ones use the published version.',
    'hint.desk': 'Appointments already booked do not change; free times and new reminders use the published version.',
    notInUse: 'none', fromFile: 'file', draft: 'draft',
    handoffs: 'Talk to an official', handoffsHint: 'Citizens who asked to talk to an official in person. Take one to answer; the list refreshes every 10 seconds.',
    heldBy: 'Taken by', topic: 'Topic', channel: 'Channel', since: 'Since', noHandoffs: 'No open requests.', noTopic: '(no topic given)', noMessages: 'No messages yet.',
    take: 'Take it', replyPlaceholder: 'Answer the citizen (Ctrl+Enter sends)', endHandoff: 'End the conversation', pickOfficial: 'Official',
    'handoff.waiting': 'Waiting for an official', 'handoff.active': 'In conversation', 'handoff.ended': 'Ended',
    'end.citizen': 'The citizen ended it', 'end.official': 'An official ended it', 'end.quiet': 'Ended by itself: nobody wrote for a while',
    'end.unanswered': 'Nobody took it in time — filed as a case', 'end.page_inbox': 'A Page admin answered directly in the Messenger inbox',
    citizenMessages: 'citizen messages', lastActivity: 'last message', official: 'Official', caseFiled: 'case',
    tookIt: 'Taken', replySent: 'Sent to the citizen.', replyKept: 'Kept: the platform window is closed; it goes out when the citizen writes again.',
    handoffEnded: 'Conversation ended; the assistant answers the citizen again.', confirmEnd: 'End this conversation? The assistant will answer the citizen again.',
    appointments: 'Appointments', appointmentsHint: "The one-stop desk's appointments by day (Vietnam time). Mark whether the citizen came; for a dossier handed in, record the result date and say when the result is ready.",
    dayOff: 'day off', prevWorkingDay: '‹ Previous working day', nextWorkingDay: 'Next working day ›', today: 'Today', slot: 'Time', citizen: 'Citizen', procedure: 'Procedure', resultDate: 'Result date',
    noAppointments: 'No appointments on this day.', appointmentsOn: 'Appointments on',
    'appt.booked': 'Booked', 'appt.attended': 'Attended', 'appt.no_show': 'No-show', 'appt.cancelled': 'Cancelled',
    'result.promised': 'promised', 'result.ready': 'result ready', moved: 'moves',
    markAttended: 'Attended', markNoShow: 'No-show', markedAttended: 'Recorded: the citizen came —', markedNoShow: 'Recorded: the citizen did not come —',
    setResultDate: 'Record result date', moveResultDate: 'Move result date', moveReason: 'Why it moves (sent to the citizen)', resultReady: 'Result ready',
    resultDateSaved: 'Result date recorded; the citizen is told —', resultDateMoved: 'Result date moved; the citizen is told, with an apology —', resultReadySaved: 'The citizen is told the result is ready —', answerable: 'Answerable official',
    badDay: 'Not a valid date: type dd/mm/yyyy.',
    undeliverable: 'Reminders that cannot be delivered', undeliverableHint: 'Citizens the platform rules do not let a reminder reach; call them if there is a number.', nothingUndeliverable: 'Every reminder could be sent.',
    'remind.day_before': 'reminder the day before', 'remind.two_hours': 'reminder 2 hours before', due: 'Due', appointmentAt: 'appointment at', dueAt: 'was due at',
    'why.window_closed': 'The citizen had not written to the Page in the 24 hours before; the platform does not allow the reminder',
    'why.template_sender_missing': 'It needs a message template (outside 24 hours) and this server cannot send templates yet',
    'why.no_phone': 'It needs a Zalo ZNS message by phone number and the citizen left none',
    'why.no_linked_account': 'The recipient has no linked chat account',
  },
};
// The petition types (phản ánh, kiến nghị) as the API names them; their words are in TEXT.
const PETITION_TYPES = ['feedback', 'proposal'];
const STATUSES = ['received', 'assigned', 'in_progress', 'transferred', 'resolved', 'rejected'];
const OFFICIAL_ROLES = ['chair', 'vice_chair', 'official', 'village_head', 'desk'];
// A chair or vice chair may end a hand-off they do not hold (the API decides; the button follows it).
const SUPERVISOR_ROLES = ['chair', 'vice_chair'];
const CHANNELS = { messenger: 'Messenger', zalo: 'Zalo' };
const HANDOFF_REFRESH_MS = 10000;

const state = { lang: localStorage.getItem('lang') === 'en' ? 'en' : 'vi', user: null, csrf: null, flowId: null, published: '', dataName: null, dataPublished: '', caseCode: null, tryState: null, trySeq: 0, officialId: null, handoff: null, roster: new Map(), reply: null };
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
  $('#who').textContent = `${state.user.username} (${state.user.role})`;
  // Buttons and links the role may not use are removed, not just hidden; the API refuses them anyway.
  for (const n of document.querySelectorAll('[data-roles]')) if (!allowed(n)) n.remove();
  const link = document.querySelector(`nav a[href="#${section}"]`);
  const target = link ? section : 'dashboard';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${target}`);
  $(`#${target}`).hidden = false;
  ({ dashboard: loadDashboard, flows: loadFlows, data: loadData, cases: loadCases, handoffs: loadHandoffs, appointments: loadAppointments, officials: loadOfficials, users: loadUsers, pending: loadPending, audit: loadAudit })[target]().catch((e) => say(e.message));
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
  for (const c of m.channels) head.append(el('th', `${c} (${t('inbound')} / ${t('outbound')})`, { 'data-channel': c }));
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
  const { cases } = await api('GET', `/admin/api/console/cases?${query ? `${query}&` : ''}limit=500`);
  const tbody = $('#case-table tbody');
  tbody.replaceChildren();
  for (const c of cases) {
    const tr = el('tr', undefined, { 'data-code': c.code, class: c.overdue ? 'overdue' : '' });
    tr.append(el('td', c.code), el('td', t(c.petitionType)), el('td', c.status), el('td', c.village), el('td', c.assigneeId || '—'), el('td', new Date(c.dueAt).toLocaleDateString(state.lang, COMMUNE_TIME)));
    tr.addEventListener('click', () => openCase(c.code).catch((e) => say(e.message)));
    tbody.append(tr);
  }
}

async function openCase(code) {
  const { case: c } = await api('GET', `/admin/api/console/cases/${encodeURIComponent(code)}`);
  state.caseCode = code;
  $('#case-detail').hidden = false;
  $('#case-code').textContent = `${c.code} — ${t(c.petitionType)} — ${c.status}${c.assigneeId ? ` — ${c.assigneeId}` : ''}`;
  $('#case-content').textContent = c.content;
  const ol = $('#case-history');
  ol.replaceChildren();
  for (const h of c.history) ol.append(el('li', `${new Date(h.at).toLocaleString(state.lang, COMMUNE_TIME)} · ${h.by} · ${h.what}${h.note ? ` — ${h.note}` : ''}`));
  const chat = $('#case-conversation');
  chat.replaceChildren();
  for (const m of c.conversation || []) {
    chat.append(el('li', `${new Date(m.at).toLocaleString(state.lang, COMMUNE_TIME)} · ${m.direction === 'in' ? t('you') : t('bot')}: ${m.text}`));
  }
  if (!c.conversation || c.conversation.length === 0) chat.append(el('li', '—'));
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
const officialName = (id) => (state.roster.get(id) ? `${state.roster.get(id).name} (${id})` : id);
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
  const { officials } = await api('GET', '/admin/api/officials');
  state.roster = new Map(officials.map((o) => [o.id, o]));
  const select = $('#handoff-take select[name=officialId]');
  if (select) {
    select.replaceChildren(el('option', t('pickOfficial'), { value: '' }));
    for (const o of officials.filter((x) => x.active)) select.append(el('option', `${o.name} (${o.id})`, { value: o.id }));
  }
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
      cell('heldBy', h.officialId ? officialName(h.officialId) : '—'),
      cell('topic', topic),
      cell('channel', CHANNELS[h.channel] || h.channel),
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
    `${t('channel')}: ${CHANNELS[h.channel] || h.channel}${h.village ? ` · ${h.village}` : ''}`,
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
    li.append(el('span', `${who} · ${when(m.at)}`, { class: 'who' }), el('span', m.text, { class: 'text' }));
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
const word = (prefix, key) => TEXT[state.lang][`${prefix}.${key}`] || key;

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
  const { officials } = await api('GET', '/admin/api/officials');
  state.roster = new Map(officials.map((o) => [o.id, o]));
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
    cell('procedure', (a.procedureName && (state.lang === 'en' ? a.procedureName.en || a.procedureName.vi : a.procedureName.vi)) || a.procedureId || a.service || '—'),
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
    select.append(el('option', t('answerable'), { value: '' }));
    for (const o of state.roster.values()) if (o.active) select.append(el('option', `${o.name} (${o.id})`, { value: o.id }));
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
      document.createTextNode(` · ${CHANNELS[r.channel] || r.channel} · `),
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
  const { officials } = await api('GET', '/admin/api/officials');
  const tbody = $('#roster tbody');
  tbody.replaceChildren();
  for (const o of officials) {
    const tr = el('tr', undefined, { 'data-official': o.id, class: o.active ? '' : 'inactive' });
    const accounts = o.accounts.map((a) => `${a.channel} ${a.userId}`).join(', ') || '—';
    const cell = (label, text) => el('td', text, { 'data-label': t(label) });
    tr.append(cell('name', `${o.name} (${o.id})`), cell('role', o.role), cell('villages', o.villages.join(', ') || '—'), cell('categories', o.categories.join(', ') || '—'), cell('onDuty', o.onDuty ? t('yes') : t('no')), cell('accounts', accounts));
    if (state.user.role === 'admin') tr.addEventListener('click', () => editOfficial(o));
    tbody.append(tr);
  }
}

function editOfficial(o) {
  const form = $('#official-form');
  if (!form) return;
  state.officialId = o.id;
  form.hidden = false;
  $('#official-title').textContent = `${o.name} (${o.id})`;
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
  const { users } = await api('GET', '/admin/api/users');
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
    tr.append(el('td', u.username), el('td', u.role), el('td', u.officialId || '—'), el('td', u.active ? t('enabled') : t('disabled')), actions);
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
  if (f.officialId.value.trim()) body.officialId = f.officialId.value.trim();
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
  const { people } = await api('GET', '/admin/api/pending-notices');
  const ul = $('#pending-list');
  ul.replaceChildren();
  if (people.length === 0) ul.append(el('li', t('nothingPending')));
  for (const p of people) {
    for (const n of p.notices) ul.append(el('li', `${new Date(n.at).toLocaleString(state.lang, COMMUNE_TIME)} · ${p.channel} ${p.user} · ${n.caseCode} · ${n.kind} · ${n.reason} — ${n.text}`));
  }
}

async function loadAudit() {
  const { entries } = await api('GET', '/admin/api/audit?limit=100');
  const ul = $('#audit-list');
  ul.replaceChildren();
  for (const e of entries) ul.append(el('li', `${new Date(e.at).toLocaleString(state.lang, COMMUNE_TIME)} · ${e.actor} · ${e.action} · ${e.target}`));
}

function route() {
  show((location.hash || '#dashboard').slice(1).split('/')[0]);
}

function boot() {
  translate();
  const select = $('#case-filters select[name=status]');
  for (const s of STATUSES) select.append(el('option', s, { value: s }));
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
    for (const r of OFFICIAL_ROLES) roles.append(el('option', r, { value: r }));
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
