// jaga's console for moderators and regulators. No framework, no third-party code: it talks
// to this server's API with the key the user signs in with (kept for the tab only) and builds
// every piece of text with textContent, never as HTML.
'use strict';

const $ = id => document.getElementById(id);
const state = { key: sessionStorage.getItem('jaga-key'), me: null, caseId: null, current: null,
                categories: [], timers: [], queueMessage: '', previewed: null };

async function api(method, path, body) {
  const opts = { method, headers: { Authorization: `Bearer ${state.key}` } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(path, opts);
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const err = new Error((data.error && data.error.message) || `HTTP ${resp.status}`);
    err.status = resp.status;
    throw err;
  }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function show(id) {
  for (const s of ['signin', 'queue', 'case', 'regulator']) $(s).hidden = s !== id;
}

// "4m 05s", or "overdue 1m 02s".
function countdown(due) {
  const left = Math.round(due - Date.now() / 1000);
  const a = Math.abs(left), h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), s = a % 60;
  const text = (h ? `${h}h ` : '') + `${m}m ${String(s).padStart(2, '0')}s`;
  return { text: left < 0 ? `overdue ${text}` : text, overdue: left < 0 };
}

function tick() {
  for (const cell of document.querySelectorAll('[data-due]')) {
    const c = countdown(Number(cell.dataset.due));
    cell.textContent = c.text;
    cell.classList.toggle('overdue', c.overdue);
  }
}

function every(ms, fn) { state.timers.push(setInterval(fn, ms)); }

async function signIn(key) {
  state.key = key;
  try {
    state.me = await api('GET', '/v1/me');
  } catch (e) {
    state.key = null;
    sessionStorage.removeItem('jaga-key');
    $('signin-error').textContent = e.status === 401 ? 'That key is not valid.' : e.message;
    show('signin');
    return;
  }
  sessionStorage.setItem('jaga-key', key);
  $('who').textContent = `${state.me.role} ${state.me.prefix}` +
    (state.me.jurisdiction ? ` (${state.me.jurisdiction})` : '');
  $('signout').hidden = false;
  if (state.me.role === 'regulator') return openRegulator();
  if (state.me.role !== 'moderator' && state.me.role !== 'admin') {
    $('signin-error').textContent = 'This console is for moderators and regulators.';
    return show('signin');
  }
  const teams = state.me.teams.length ? state.me.teams : ['global'];
  $('team').replaceChildren(...teams.map(t => el('option', t)));
  state.categories = (await api('GET', '/v1/categories')).categories;
  $('category').replaceChildren(...state.categories.map(c => {
    const o = el('option', `${c.label} (${c.code})`);
    o.value = c.code;
    return o;
  }));
  openQueue();
}

// The queue.
// The queue, with the last thing said to the moderator (a decision's confirmation), which the
// periodic refresh keeps until the moderator moves on.
async function loadQueue() {
  const team = $('team').value;
  const data = await api('GET', `/v1/queue?team=${encodeURIComponent(team)}`);
  const rows = data.cases.map(c => {
    const tr = el('tr');
    tr.dataset.id = c.id;
    const due = el('td');
    due.dataset.due = c.due_at;
    tr.append(el('td', `#${c.id}`), due, el('td', c.priority), el('td', c.reason),
              el('td', c.reports), el('td', c.language), el('td', c.status));
    tr.addEventListener('click', () => claim(c.id));
    return tr;
  });
  $('queue-table').tBodies[0].replaceChildren(...rows);
  const empty = rows.length ? '' : 'Nothing waits in this queue.';
  $('queue-note').textContent = [state.queueMessage, empty].filter(Boolean).join(' ');
  tick();
}

function openQueue(message) {
  state.caseId = null;
  state.queueMessage = message || '';
  $('queue-note').textContent = state.queueMessage;
  show('queue');
  return loadQueue().catch(e => { $('queue-note').textContent = e.message; });
}

async function claimNext() {
  const team = $('team').value;
  try {
    const data = await api('POST', `/v1/queue/claim?team=${encodeURIComponent(team)}`);
    if (!data.case) {
      $('queue-note').textContent = 'Nothing waits in this queue.';
      return;
    }
    await openCase(data.case.id);
  } catch (e) {
    $('queue-note').textContent = e.message;
  }
}

async function claim(id) {
  try {
    await api('POST', `/v1/cases/${id}/claim`);
    await openCase(id);
  } catch (e) {
    $('queue-note').textContent = e.message;
  }
}

// The case's media: jaga's blurred rendition first (the original is not even fetched until
// the moderator reveals it), the platform's original on reveal. Content scanned without a
// rendition falls back to the original under a CSS blur.
const media = { blurred: null, original: null, revealed: false };

async function showBlurred(c) {
  const img = $('media');
  if (media.blurred) URL.revokeObjectURL(media.blurred);
  const url = c.content && c.content.media_url;
  Object.assign(media, { blurred: null, revealed: false,
                         original: url && /^(https?:\/\/|\/)/.test(url) ? url : null });
  try {
    const resp = await fetch(`/v1/media/${encodeURIComponent(c.content_id)}?variant=blurred`,
                             { headers: { Authorization: `Bearer ${state.key}` } });
    if (resp.ok) media.blurred = URL.createObjectURL(await resp.blob());
  } catch (e) { /* shown as no rendition below */ }
  img.classList.toggle('veiled', !media.blurred);
  if (media.blurred || media.original) img.src = media.blurred || media.original;
  else img.removeAttribute('src');
  $('media-note').textContent = !media.original
    ? (media.blurred ? 'Blurred; the platform gave no media URL to reveal.'
                     : 'The platform gave no media URL for this content.')
    : 'Blurred until you reveal it.';
}

function toggleReveal() {
  const img = $('media');
  if (!media.original) return;
  media.revealed = !media.revealed;
  img.classList.toggle('veiled', !media.revealed && !media.blurred);
  img.src = media.revealed || !media.blurred ? media.original : media.blurred;
}

// The case page.
function list(id, items, render) {
  $(id).replaceChildren(...(items.length ? items.map(render) : [el('li', 'none')]));
}

async function openCase(id) {
  const c = await api('GET', `/v1/cases/${id}`);
  state.caseId = id;
  state.current = c;
  show('case');
  $('case-title').textContent = `Case #${c.id} · ${c.content_id} · ${c.team} · ${c.status}`;
  $('case-due').dataset.due = c.due_at;
  await showBlurred(c);
  const matches = (c.content && c.content.matches) || [];
  $('matches').tBodies[0].replaceChildren(...matches.map(m => {
    const tr = el('tr');
    tr.append(el('td', m.bank), el('td', m.signal_type), el('td', m.distance),
              el('td', m.labels));
    return tr;
  }));
  const scores = c.content && c.content.classifier;
  $('scores').textContent = scores
    ? 'Classifier (a signal, never a reason on its own): ' +
      Object.entries(scores).sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${Number(v).toFixed(2)}`).join(' · ')
    : 'No classifier scores.';
  list('reports', c.reports, r => el('li', `${r.label} · ${r.reporter}${r.rapid ? ' · rapid' : ''}` +
                                    ` · ${r.country || '??'} · ${r.text}`));
  list('notices', c.notices, n => el('li', `${n.jurisdiction} ${n.reference} (${n.legal_basis})`));
  list('sources', c.sources, s => el('li', `${s.ref} · ${s.jurisdiction} · ${s.reason}`));
  list('history', c.history, h => el('li', `${new Date(h.at * 1000).toISOString()} ${h.kind} ` +
                                          `${h.actor} ${h.detail}`));
  const appeal = c.queue_status === 'appealed';
  const actions = appeal ? ['uphold', 'overturn']
                         : ['no_violation', 'blur', 'age_gate', 'withhold', 'remove'];
  $('actions').replaceChildren(...actions.map((a, i) => {
    const label = el('label');
    const input = el('input');
    Object.assign(input, { type: 'radio', name: 'action', value: a, checked: i === 0 });
    label.append(input, ` ${i + 1} ${a}`);
    return label;
  }));
  $('decision-error').textContent = '';
  $('everywhere').checked = false;
  clearPreview();
  tick();
}

// A decision is previewed first: what viewers in each place will see. Confirming sends the
// very body previewed; any input to the form asks for a new preview.
function clearPreview() {
  state.previewed = null;
  $('effect').hidden = true;
  $('preview').hidden = false;
}

function showEffect(effect) {
  $('effect-table').tBodies[0].replaceChildren(...effect.map(e => {
    const tr = el('tr');
    if (e.before !== e.after) tr.className = 'changed';
    tr.append(el('td', e.elsewhere ? 'everywhere else' : e.place),
              el('td', e.before), el('td', e.after));
    return tr;
  }));
  $('effect').hidden = false;
  $('preview').hidden = true;
}

function decisionBody() {
  const action = document.querySelector('input[name=action]:checked').value;
  const body = { action };
  const note = $('note').value.trim();
  if (note) body.note = note;
  if (!['no_violation', 'uphold', 'overturn'].includes(action)) {
    body.ground = $('ground').value;
    body.category = $('category').value;
    if (body.ground === 'law') body.legal = $('legal').value.trim();
    const countries = $('countries').value.split(/[\s,]+/).filter(Boolean)
      .map(c => c.toUpperCase());
    if (countries.length) body.countries = countries;
  }
  if ($('everywhere').checked) body.everywhere = true;
  return body;
}

async function decide(ev) {
  if (ev) ev.preventDefault();
  const body = decisionBody();
  const text = JSON.stringify(body);
  try {
    if (state.previewed !== text) {
      const preview = await api('POST', `/v1/cases/${state.caseId}/decision`,
                                { ...body, preview: true });
      showEffect(preview.effect);
      state.previewed = text;
      $('decision-error').textContent = '';
      return;
    }
    const done = await api('POST', `/v1/cases/${state.caseId}/decision`, body);
    clearPreview();
    $('note').value = '';
    await openQueue(`Case #${done.id}: ${done.decision.action}.`);
  } catch (e) {
    $('decision-error').textContent = e.message;
  }
}

async function releaseAndBack() {
  if (state.caseId) await api('POST', `/v1/cases/${state.caseId}/release`).catch(() => {});
  openQueue();
}

// The regulator's view.
async function loadNotices() {
  const data = await api('GET', '/v1/notices');
  $('notices-table').tBodies[0].replaceChildren(...data.notices.map(n => {
    const tr = el('tr');
    tr.dataset.id = n.id;
    const due = el('td');
    due.dataset.due = n.deadline_at;
    tr.append(el('td', `#${n.id}`), el('td', n.reference), due, el('td', n.pending),
              el('td', n.breached));
    tr.addEventListener('click', () => openNotice(n.id));
    return tr;
  }));
  tick();
}

async function openNotice(id) {
  const n = await api('GET', `/v1/notices/${id}`);
  $('notice-detail').hidden = false;
  $('notice-detail').dataset.id = id;
  $('notice-title').textContent = `Notice #${n.id} · ${n.reference} · ${n.urgency}`;
  $('items-table').tBodies[0].replaceChildren(...n.items.map(it => {
    const tr = el('tr');
    const cell = el('td');
    if (!it.withdrawn_at) cell.append(withdrawButton(n.id, it.id));
    tr.append(el('td', it.value), el('td', it.kind), el('td', it.status, `status-${it.status}`),
              el('td', it.action || ''), cell);
    return tr;
  }));
}

// Withdrawing an item ends the order it carries: the first click asks, the second does it.
function withdrawButton(noticeId, itemId) {
  const b = el('button', 'Withdraw', 'withdraw');
  b.type = 'button';
  b.addEventListener('click', async () => {
    if (!b.dataset.armed) {
      b.dataset.armed = '1';
      b.textContent = 'Confirm withdrawal';
      return;
    }
    try {
      await api('POST', `/v1/notices/${noticeId}/items/${itemId}/withdraw`);
      $('notice-error').textContent = '';
      await loadNotices();
      await openNotice(noticeId);
    } catch (e) {
      $('notice-error').textContent = e.message;
    }
  });
  return b;
}

function openRegulator() {
  show('regulator');
  loadNotices().catch(e => { $('notice-error').textContent = e.message; });
}

function noticeItem(line) {
  const m = line.match(/^(pdq|md5|sha256):\s*(\S+)$/i);
  if (m) return { [m[1].toLowerCase()]: m[2] };
  if (/^https?:\/\//.test(line)) return { url: line };
  return { content_id: line };
}

async function fileNotice(ev) {
  ev.preventDefault();
  const items = $('items').value.split('\n').map(l => l.trim()).filter(Boolean).map(noticeItem);
  const body = { reference: $('reference').value.trim(), urgency: $('urgency').value, items };
  if ($('basis').value.trim()) body.legal_basis = $('basis').value.trim();
  try {
    const n = await api('POST', '/v1/notices', body);
    $('notice-error').textContent = '';
    $('notice-form').reset();
    await loadNotices();
    await openNotice(n.id);
  } catch (e) {
    $('notice-error').textContent = e.message;
  }
}

// Keys.
function onKey(ev) {
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement.tagName);
  if (!$('case').hidden) {
    if (ev.key === 'Enter' && ev.ctrlKey) return decide(ev);
    if (ev.key === 'Escape') return releaseAndBack();
    if (typing) return;
    if (ev.key === 'r') toggleReveal();
    if (ev.key === 'g') toggleGray();
    const radios = document.querySelectorAll('input[name=action]');
    const n = Number(ev.key);
    if (n >= 1 && n <= radios.length) {
      radios[n - 1].checked = true;
      clearPreview();
    }
  } else if (!$('queue').hidden && !typing && ev.key === 'n') {
    claimNext();
  }
}

function toggleGray() {
  const on = $('media').classList.toggle('gray');
  $('grayscale').setAttribute('aria-pressed', String(on));
}

$('signin-form').addEventListener('submit', ev => { ev.preventDefault(); signIn($('key').value.trim()); });
$('signout').addEventListener('click', () => { sessionStorage.removeItem('jaga-key'); location.reload(); });
$('claim-next').addEventListener('click', claimNext);
$('team').addEventListener('change', () => loadQueue());
$('back').addEventListener('click', releaseAndBack);
$('reveal').addEventListener('click', toggleReveal);
$('grayscale').addEventListener('click', toggleGray);
$('decision').addEventListener('submit', decide);
$('decision').addEventListener('input', clearPreview);
$('confirm').addEventListener('click', () => decide());
$('notice-form').addEventListener('submit', fileNotice);
document.addEventListener('keydown', onKey);
every(1000, tick);
every(5000, () => {
  if (!$('queue').hidden) loadQueue().catch(() => {});
  if (!$('regulator').hidden) {
    loadNotices().catch(() => {});
    const open = $('notice-detail').dataset.id;
    if (!$('notice-detail').hidden && open) openNotice(open).catch(() => {});
  }
});
if (state.key) signIn(state.key);
else show('signin');
