// The router's status page: polls /health (no key) and, with the admin key, /admin/requests.
// Everything shown is built with createElement/textContent, never with HTML strings: instance
// errors, client and model names come from configs and clients and are shown as text.
'use strict';

(() => {
  const POLL_MS = 1500, FETCH_TIMEOUT_MS = 5000, REQUEST_LIMIT = 25;
  const KEY_STORE = 'gpu-router.admin-key';
  const TRANSITIONS = new Set(['Starting', 'Loading', 'Waking', 'Draining', 'Stopping']);

  const $ = (id) => document.getElementById(id);
  let key = sessionStorage.getItem(KEY_STORE) || '';
  // probe: ask once without a key whether the router needs one; none: it does and we have none;
  // checking: a key is being tried; granted: the key is an admin key; open: no key is needed;
  // refused: the router refused the key (the message says why).
  let access = key ? 'checking' : 'probe';
  let skewMs = 0, health = null, timer = 0, generation = 0;

  // ---- small DOM helpers ------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Only letters for class names made from data (states are enum names, but be strict).
  const token = (text) => String(text || '').toLowerCase().replace(/[^a-z]/g, '');

  // ---- time --------------------------------------------------------------------------------
  const serverNow = () => Date.now() + skewMs;

  function span(ms) {
    let s = Math.max(0, Math.floor(ms / 1000));
    const two = (a, au, b, bu) => (b === 0 ? `${a}${au}` : `${a}${au} ${b}${bu}`);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60); s %= 60;
    if (m < 60) return two(m, 'm', s, 's');
    const h = Math.floor(m / 60);
    if (h < 24) return two(h, 'h', m % 60, 'm');
    return two(Math.floor(h / 24), 'd', h % 24, 'h');
  }

  const ago = (iso) => (iso ? `${span(serverNow() - Date.parse(iso))} ago` : 'never');
  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  function when(iso) {
    const at = new Date(iso);
    const day = at.toDateString() === new Date(serverNow()).toDateString()
      ? '' : at.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ';
    return `${day}${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} (in ${span(Date.parse(iso) - serverNow())})`;
  }

  // The router's clock from the Date header (whole seconds): relative times stay right on a
  // phone whose clock is off. Under a second of difference is taken as none.
  function readSkew(response) {
    const date = Date.parse(response.headers.get('Date') || '');
    if (Number.isNaN(date)) return;
    const candidate = date + 500 - Date.now();
    skewMs = Math.abs(candidate) < 1000 ? 0 : candidate;
  }

  // ---- API ---------------------------------------------------------------------------------
  async function api(method, path, body, withKey) {
    const headers = {};
    if (withKey && key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await fetch(path, {
        method, headers, cache: 'no-store', signal: controller.signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      let json = null;
      try { json = await response.json(); } catch { json = null; }
      return { status: response.status, ok: response.ok, json, response };
    } catch (e) {
      return { status: 0, ok: false, json: null, error: e.name === 'AbortError' ? 'no answer within 5 s' : String(e.message || e) };
    } finally {
      clearTimeout(timeout);
    }
  }

  // "why it failed" from an OpenAI-shaped error body, or the HTTP status.
  function reason(result) {
    if (result.status === 0) return `the router could not be reached (${result.error})`;
    const error = result.json && result.json.error;
    if (error && error.message) return `${result.status} ${error.code || ''}: ${error.message}`.replace(' :', ':');
    return `HTTP ${result.status}`;
  }

  function refused(result) {
    if (result.status === 401) return `The admin key was refused (${reason(result)}). Enter the admin key again.`;
    const code = result.json && result.json.error && result.json.error.code;
    if (code === 'admin_only') return `This key is not an admin key (${reason(result)}).`;
    return `The router refused this (${reason(result)}).`;
  }

  function message(text, kind) {
    const box = $('message');
    box.hidden = !text;
    box.className = `message ${kind || 'info'}`;
    box.textContent = text || '';
  }

  const isAdmin = () => access === 'granted' || access === 'open';
  const ACCESS_TEXT = {
    granted: 'Admin key accepted: actions and recent requests are on.', refused: 'The key was refused.',
    open: 'This router has no API keys configured: no key is needed.', checking: 'Checking the key…',
    none: 'Without the admin key the page shows what /health shows. The key stays in this tab only (session storage).',
  };

  function setAccess(next) {
    access = next;
    document.body.dataset.access = next;
    const state = $('key-state');
    const note = $('requests-note');
    state.textContent = ACCESS_TEXT[next] || ACCESS_TEXT.none;
    note.textContent = isAdmin() ? '' : 'The recent requests and the actions need the admin key.';
    $('forget-key').disabled = !key;
  }

  // ---- rendering: mode ---------------------------------------------------------------------
  function renderMode(h) {
    const dl = $('mode');
    const held = h.override && h.override !== 'auto';
    const next = held ? 'none while the override holds' : (h.nextSwitch ? when(h.nextSwitch) : 'none scheduled');
    dl.replaceChildren(
      el('dt', { text: 'mode' }), el('dd', { id: 'mode-value', className: 'state', text: h.mode }),
      el('dt', { text: 'override' }), el('dd', { id: 'override-value', text: h.override || 'auto' }),
      el('dt', { text: 'next switch' }), el('dd', { id: 'next-switch', text: next }));
    for (const button of document.querySelectorAll('#mode-actions button')) {
      button.classList.toggle('current', button.dataset.override === (h.override || 'auto'));
    }
  }

  // ---- rendering: GPUs ---------------------------------------------------------------------
  const gib = (bytes) => (bytes / 1073741824).toFixed(1);

  function meter(name, fraction, text) {
    const pct = Math.max(0, Math.min(1, fraction)) * 100;
    const level = pct >= 98 ? 'bar full' : pct >= 85 ? 'bar high' : 'bar';
    const fill = el('span');
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    fill.style.width = `${pct.toFixed(1)}%`;
    return el('div', { className: 'meter' },
      el('span', { className: 'name', text: name }),
      el('div', { className: level }, fill),
      el('span', { className: 'value', text }));
  }

  const isLocal = (host) => !host || host === 'local';
  const has = (value) => value !== null && value !== undefined;

  function gpuCard(g) {
    const parts = [el('h3', {}, `GPU ${g.index} `, el('span', { className: 'sub', text: `· ${g.role}${g.name ? ` · ${g.name}` : ''}` }))];
    parts.push(meter('reserved', g.reservedShare, g.reservedShare.toFixed(2)));
    if (g.telemetry === 'remote') {
      const bytes = g.memoryBytes ? `${gib(g.reservedBytes || 0)} of ${gib(g.memoryBytes)} GiB reserved. ` : '';
      parts.push(el('p', { className: 'detail', text: `${bytes}Not measured (NVML is read for the local GPUs only).` }));
    } else if (g.telemetry === 'off') {
      parts.push(el('p', { className: 'detail', text: 'NVML off: memory, utilisation and temperature are not read.' }));
    } else if (!g.available) {
      parts.push(el('p', { className: 'error-text', text: `NVML: ${g.error || 'not available'}` }));
    } else {
      if (g.memoryTotalBytes) parts.push(meter('memory', g.memoryUsedBytes / g.memoryTotalBytes, `${gib(g.memoryUsedBytes)} / ${gib(g.memoryTotalBytes)} GiB`));
      if (has(g.utilizationPercent)) parts.push(meter('utilisation', g.utilizationPercent / 100, `${g.utilizationPercent}%`));
      const extra = [has(g.temperatureCelsius) && `${g.temperatureCelsius} °C`, has(g.powerWatts) && `${Math.round(g.powerWatts)} W`].filter(Boolean);
      if (extra.length) parts.push(el('p', { className: 'detail', text: extra.join(' · ') }));
    }
    parts.push(el('div', { className: 'chips' }, ...g.instances.map((i) =>
      el('span', { className: `chip state-${token(i.state)}`, title: `${i.model}, share ${i.gpuMemoryUtilization}` }, `${i.name} ${i.state}`))));
    return el('article', { className: 'card', 'data-gpu': g.index }, ...parts);
  }

  function renderGpus(gpus) {
    const cards = gpus.filter((g) => isLocal(g.host)).map(gpuCard);
    $('gpus').replaceChildren(...(cards.length ? cards : [el('p', { className: 'note', text: 'No GPUs configured.' })]));
  }

  // ---- rendering: hosts (only with hosts besides this one) ----------------------------------
  const reachText = (h) => ({
    unreachable: `unreachable for ${span(serverNow() - Date.parse(h.since))}: ${h.reason || 'no reason given'}`,
    reachable: `reachable since ${clock(h.since)}`,
  })[h.reachability] || 'not checked yet';

  function renderHosts(hosts, gpus) {
    const remote = hosts.some((h) => !isLocal(h.name));
    $('hosts-section').hidden = !remote;
    if (!remote) { $('hosts').replaceChildren(); return; }
    $('hosts').replaceChildren(...hosts.map((h) => {
      const own = gpus.filter((g) => g.host === h.name);
      return el('article', { className: 'host', 'data-host': h.name },
        el('h3', {}, `${h.name} `, el('span', { className: 'sub', text: `· ${h.engine}${h.address ? ` · ${h.address}` : ''}` })),
        el('p', { className: `reachability reach-${token(h.reachability)}`, text: reachText(h) }),
        isLocal(h.name) ? el('p', { className: 'detail', text: 'Its GPUs are listed under GPUs.' }) : el('div', { className: 'cards' }, ...own.map(gpuCard)));
    }));
  }

  // ---- rendering: instances ----------------------------------------------------------------
  // One box inside each cell: on a phone the cell is a two-column grid (its label, then this).
  function cell(label, className, ...children) {
    return el('td', { 'data-label': label, className }, el('div', { className: 'cell-body' }, ...children));
  }

  function stateCell(i) {
    const parts = [el('span', { className: `state state-${token(i.state)}`, text: i.endpoint ? `${i.state} (endpoint)` : i.state })];
    // An instance on a host the router cannot reach is unavailable whatever its last known state.
    const host = !isLocal(i.host) && health && (health.hosts || []).find((h) => h.name === i.host);
    if (host && host.reachability === 'unreachable') {
      parts.push(el('div', { className: 'error-text host-down', text: `${i.host} unreachable: ${host.reason || 'no reason given'}` }));
    }
    if (TRANSITIONS.has(i.state) && i.stateSince) {
      parts.push(el('span', { className: 'elapsed', text: `for ${span(serverNow() - Date.parse(i.stateSince))}` }));
    }
    if (i.lastError) parts.push(el('div', { className: 'error-text last-error', text: i.lastError }));
    return cell('State', 'state-cell', ...parts);
  }

  function actionButton(i, action, label, enabled) {
    return el('button', { type: 'button', 'data-action': action, 'data-instance': i.name, disabled: !enabled, text: label });
  }

  function actionsCell(i) {
    if (i.endpoint) return cell('Actions', 'admin-only', el('span', { className: 'detail', text: 'not managed' }));
    const s = i.state;
    const buttons = [
      actionButton(i, 'start', 'Start', s === 'Stopped' || s === 'Failed'),
      actionButton(i, 'stop', 'Stop', s !== 'Stopped' && s !== 'Stopping'),
    ];
    // Sleep mode: shown only for instances whose view says they can sleep (vLLM sleep mode).
    if (i.canSleep === true) buttons.push(actionButton(i, 'sleep', 'Sleep', s === 'Ready'));
    if (i.canSleep === true || s === 'Sleeping') buttons.push(actionButton(i, 'wake', 'Wake', s === 'Sleeping'));
    return cell('Actions', 'admin-only', el('div', { className: 'buttons' }, ...buttons));
  }

  function instanceRow(i) {
    const limit = i.limit < i.configuredLimit ? `${i.limit} of ${i.configuredLimit}` : `${i.limit}`;
    return el('tr', { 'data-instance': i.name, 'data-state': i.state },
      cell('Instance', 'cell-text',
        el('div', { className: 'instance-name', text: i.name }),
        el('div', { className: 'detail', text: `${i.model} · ${i.mode} · ${isLocal(i.host) ? '' : `on ${i.host} · `}GPU ${i.gpus.join(',')}` })),
      stateCell(i),
      cell('In flight', 'num in-flight', `${i.inFlight}/${limit}`),
      cell('Queued', 'num queued', `${i.queued}`),
      cell('Last used', 'last-used', ago(i.lastUsed)),
      cell('Restarts', 'num restarts', `${i.restarts}`),
      isAdmin() ? actionsCell(i) : cell('Actions', 'admin-only'));
  }

  // Rows are replaced only when what they show changed, so a button is not swapped under a finger.
  function renderInstances(instances) {
    const body = $('instances').tBodies[0];
    const old = new Map([...body.rows].map((row) => [row.dataset.instance, row]));
    const rows = instances.map((i) => {
      const row = instanceRow(i);
      const previous = old.get(i.name);
      return previous && previous.innerHTML === row.innerHTML ? previous : row;
    });
    if (rows.length !== body.rows.length || rows.some((row, n) => body.rows[n] !== row)) body.replaceChildren(...rows);
  }

  // ---- rendering: requests -----------------------------------------------------------------
  const ms = (value) => (value === null || value === undefined ? '-' : `${Math.round(value)}`);

  function statusClass(status) {
    if (status >= 200 && status < 400) return 'status-ok';
    if (status >= 400 && status < 499) return 'status-client';
    return 'status-server';
  }

  function renderRequests(list) {
    const rows = list.map((r) => el('tr', { 'data-status': r.status },
      cell('Time', 'num time', clock(r.at)),
      cell('Client', 'cell-text client', r.client),
      cell('Model', 'cell-text model', r.model || '-'),
      cell('Instance', 'cell-text instance', r.instance || '-'),
      cell('Status', `num status ${statusClass(r.status)}`, r.outcome && r.outcome !== 'ok' ? `${r.status} ${r.outcome}` : `${r.status}`),
      cell('Queue ms', 'num queue', ms(r.queueMs)),
      cell('Cold start ms', 'num cold-start', ms(r.coldStartMs)),
      cell('Tokens', 'num tokens', r.promptTokens || r.completionTokens ? `${r.promptTokens} → ${r.completionTokens}` : '-'),
      cell('Duration ms', 'num duration', ms(r.durationMs))));
    $('requests').tBodies[0].replaceChildren(...rows);
    if (isAdmin() && !rows.length) $('requests-note').textContent = 'No requests since the router started.';
    else if (isAdmin()) $('requests-note').textContent = '';
  }

  // ---- polling -----------------------------------------------------------------------------
  async function pollHealth() {
    const result = await api('GET', 'health', undefined, false);
    const live = $('live');
    if (!result.ok || !result.json) {
      live.className = 'live error';
      live.textContent = `Router unreachable: ${reason(result)}; retrying`;
      return;
    }
    readSkew(result.response);
    health = result.json;
    live.className = 'live ok';
    live.textContent = `live · ${new Date().toLocaleTimeString()}`;
    renderMode(health);
    renderHosts(health.hosts || [], health.gpus || []);
    renderGpus(health.gpus || []);
    renderInstances(health.instances || []);
  }

  async function pollRequests() {
    if (access === 'none' || access === 'refused') return;
    const probing = access === 'probe';
    const result = await api('GET', `admin/requests?limit=${REQUEST_LIMIT}`, undefined, !probing);
    if (result.ok && result.json) {
      if (access !== 'granted' && access !== 'open') {
        setAccess(key ? 'granted' : 'open');
        if (health) renderInstances(health.instances || []);
      }
      renderRequests(result.json.requests || []);
    } else if (result.status === 401 || result.status === 403) {
      setAccess(probing || !key ? 'none' : 'refused');
      if (access === 'refused') message(refused(result), 'error');
      $('requests').tBodies[0].replaceChildren();
      if (health) renderInstances(health.instances || []);
    } else if (result.status !== 0) {
      message(`Recent requests could not be read (${reason(result)}).`, 'error');
    }
  }

  // One chain of polls: a tick started by an action supersedes the one in flight.
  async function tick() {
    const mine = ++generation;
    clearTimeout(timer);
    await Promise.all([pollHealth(), pollRequests()]);
    if (mine !== generation) return;
    timer = setTimeout(tick, POLL_MS);
  }

  // ---- actions -----------------------------------------------------------------------------
  async function act(description, method, path, body) {
    message(`${description}…`, 'info');
    const result = await api(method, path, body, true);
    if (result.ok) {
      message(`${description}: accepted.`, 'info');
    } else if (result.status === 401 || result.status === 403) {
      setAccess(key ? 'refused' : 'none');
      message(refused(result), 'error');
    } else {
      message(`${description} failed (${reason(result)}).`, 'error');
    }
    await tick();
  }

  $('instances').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const { action, instance } = button.dataset;
    act(`${action} ${instance}`, 'POST', `admin/instances/${encodeURIComponent(instance)}/${action}`);
  });

  $('mode-actions').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-override]');
    if (!button) return;
    act(`override ${button.dataset.override}`, 'PUT', 'admin/mode', { override: button.dataset.override });
  });

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('key');
    key = input.value.trim();
    input.value = '';
    if (key) sessionStorage.setItem(KEY_STORE, key); else sessionStorage.removeItem(KEY_STORE);
    message('');
    setAccess(key ? 'checking' : 'probe');
    tick();
  });

  $('forget-key').addEventListener('click', () => {
    key = '';
    sessionStorage.removeItem(KEY_STORE);
    message('');
    $('requests').tBodies[0].replaceChildren();
    setAccess('probe');
    tick();
  });

  setAccess(access);
  tick();
})();
