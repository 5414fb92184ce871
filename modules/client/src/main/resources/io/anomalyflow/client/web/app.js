// The anomaly client's page: one EventSource on /anomalies/stream, a debounced device filter that
// reconnects it, a bounded newest-first table, counts per device and a per-second chart.
//
// Safety rule of this file: data from the server is only ever put into the page with textContent
// (or drawn on the canvas). Nothing here uses innerHTML, outerHTML, insertAdjacentHTML or
// document.write, so even a deviceId full of markup would show as text. The server also sends a
// Content-Security-Policy that allows scripts from this origin only.
'use strict';

(() => {
  const MAX_ROWS = 500;          // rows kept in the DOM; older ones are removed
  const CHART_SECONDS = 60;      // width of the chart window
  const DEBOUNCE_MS = 300;       // typing pause before the filter reconnects the stream
  const DEVICE_RE = /^[A-Za-z0-9_.:-]{1,64}$/; // the wire contract's deviceId

  const el = (id) => document.getElementById(id);
  const ui = {
    status: el('status'), statusText: el('status-text'), device: el('device'), deviceError: el('device-error'),
    total: el('total'), shown: el('shown'), deviceCount: el('device-count'), deviceLabel: el('device-label'),
    rows: el('rows'), empty: el('empty'), counts: el('counts'), chart: el('chart'),
    login: el('login'), token: el('token'), loginError: el('login-error'),
  };

  const state = {
    source: null,        // the open EventSource
    device: '',          // '' = all devices
    lastPosition: 0,     // highest event id shown on this connection: guards against a duplicate
    total: 0,
    counts: new Map(),   // deviceId -> anomalies received
    perSecond: new Map(),// epoch second (arrival) -> anomalies received
    pending: [],         // received but not yet rendered (rendering is batched)
    flushTimer: 0,
    debounceTimer: 0,
  };

  function setStatus(name, text) {
    ui.status.dataset.state = name;
    ui.statusText.textContent = text;
  }

  function resetView() {
    state.lastPosition = 0;
    state.total = 0;
    state.counts.clear();
    state.perSecond.clear();
    state.pending = [];
    ui.rows.replaceChildren();
    ui.counts.replaceChildren();
    renderTotals();
    drawChart();
  }

  function streamUrl(device) {
    return '/anomalies/stream' + (device ? '?deviceId=' + encodeURIComponent(device) : '');
  }

  // (Re)opens the stream for the current filter. The server replays what is still in its map
  // (oldest first), then goes live; the browser's own reconnects send Last-Event-ID, so the
  // server resumes after the last event we got.
  function connect() {
    if (state.source) {
      state.source.close();
    }
    resetView();
    setStatus('connecting', 'connecting…');
    const source = new EventSource(streamUrl(state.device));
    state.source = source;
    source.addEventListener('open', () => {
      if (state.source === source) {
        setStatus('live', state.device ? 'live · device ' + state.device : 'live · all devices');
      }
    });
    source.addEventListener('error', () => {
      if (state.source === source) {
        const closed = source.readyState === EventSource.CLOSED;
        setStatus(closed ? 'closed' : 'connecting', closed ? 'disconnected' : 'reconnecting…');
        if (closed) {
          checkSession(true); // the browser gives up on a 401 too (an expired session): then ask for the token
        }
      }
    });
    source.addEventListener('anomaly', (event) => {
      if (state.source !== source) {
        return; // a late event of a stream we already replaced
      }
      let anomaly;
      try {
        anomaly = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      receive(anomaly, Number(event.lastEventId));
    });
  }

  // Every anomaly goes through here, whether it came from the stream or from a test. position is
  // the event's id: where the client read it, which grows with every event, while the seq (the
  // measurement's) need not when the client reads the detectors' anomaly events.
  function receive(anomaly, position = anomaly && anomaly.seq) {
    if (typeof anomaly !== 'object' || anomaly === null || typeof anomaly.seq !== 'number') {
      return;
    }
    if (!(position > state.lastPosition)) {
      return;
    }
    state.lastPosition = position;
    state.total++;
    const device = String(anomaly.deviceId);
    state.counts.set(device, (state.counts.get(device) || 0) + 1);
    const second = Math.floor(Date.now() / 1000);
    state.perSecond.set(second, (state.perSecond.get(second) || 0) + 1);
    state.pending.push(anomaly);
    if (state.pending.length > MAX_ROWS) {
      state.pending.splice(0, state.pending.length - MAX_ROWS); // only the newest can be shown anyway
    }
    if (!state.flushTimer) {
      state.flushTimer = setTimeout(flush, 50);
    }
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.className = className;
    td.textContent = text;
    return td;
  }

  function row(anomaly) {
    const tr = document.createElement('tr');
    tr.className = 'fresh';
    tr.dataset.seq = String(anomaly.seq);
    tr.append(
      cell(String(anomaly.seq), 'seq num'),
      cell(formatTime(anomaly.timestamp), 'time'),
      cell(String(anomaly.deviceId), 'device'),
      cell(String(anomaly.measurementValue), 'value num'),
      cell(String(anomaly.anomaly), 'anomaly'));
    return tr;
  }

  // Renders the batch received since the last flush: newest on top, at most MAX_ROWS rows.
  function flush() {
    state.flushTimer = 0;
    const batch = state.pending;
    state.pending = [];
    if (batch.length > 0) {
      const fragment = document.createDocumentFragment();
      for (let i = batch.length - 1; i >= 0; i--) {
        fragment.append(row(batch[i]));
      }
      ui.rows.prepend(fragment);
      while (ui.rows.childElementCount > MAX_ROWS) {
        ui.rows.lastElementChild.remove();
      }
    }
    renderTotals();
    renderCounts();
    drawChart();
  }

  function renderTotals() {
    ui.total.textContent = String(state.total);
    ui.shown.textContent = String(ui.rows.childElementCount);
    ui.deviceCount.textContent = String(state.counts.size);
    ui.deviceLabel.textContent = state.counts.size === 1 ? 'device' : 'devices';
    ui.empty.hidden = ui.rows.childElementCount > 0;
  }

  function renderCounts() {
    const top = [...state.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50);
    const max = top.length ? top[0][1] : 1;
    const items = top.map(([device, n]) => {
      const li = document.createElement('li');
      li.dataset.device = device;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = device;
      const count = document.createElement('span');
      count.className = 'n';
      count.textContent = String(n);
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = (100 * n / max).toFixed(1) + '%';
      li.append(name, count, bar);
      return li;
    });
    ui.counts.replaceChildren(...items);
  }

  function formatTime(timestamp) {
    const d = new Date(timestamp);
    if (Number.isNaN(d.getTime())) {
      return String(timestamp);
    }
    return d.toISOString().replace('T', ' ').replace('Z', '');
  }

  // Bars of anomalies received per second over the last CHART_SECONDS seconds.
  function drawChart() {
    const canvas = ui.chart;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, canvas.clientWidth || 600);
    const height = Math.max(100, canvas.clientHeight || 150);
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const now = Math.floor(Date.now() / 1000);
    for (const second of state.perSecond.keys()) {
      if (second <= now - CHART_SECONDS) {
        state.perSecond.delete(second);
      }
    }
    const values = [];
    for (let s = now - CHART_SECONDS + 1; s <= now; s++) {
      values.push(state.perSecond.get(s) || 0);
    }
    const peak = Math.max(1, ...values);
    const top = 18, bottom = height - 16, left = 4, plotWidth = width - 8;
    const barWidth = plotWidth / CHART_SECONDS;

    g.strokeStyle = '#e3e6ec';
    g.beginPath();
    g.moveTo(left, bottom + 0.5);
    g.lineTo(left + plotWidth, bottom + 0.5);
    g.stroke();

    g.fillStyle = '#d9480f';
    values.forEach((v, i) => {
      const h = (bottom - top) * v / peak;
      g.fillRect(left + i * barWidth + 1, bottom - h, Math.max(1, barWidth - 2), h);
    });

    g.fillStyle = '#6b7385';
    g.font = '12px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText('peak ' + peak + '/s', left, 2);
    g.textAlign = 'right';
    g.fillText('now: ' + values[values.length - 1] + '/s', left + plotWidth, 2);
    g.textBaseline = 'alphabetic';
    g.fillText('now', left + plotWidth, height - 2);
    g.textAlign = 'left';
    g.fillText('-' + CHART_SECONDS + ' s', left, height - 2);
  }

  function readFilter() {
    const value = ui.device.value.trim();
    const valid = value === '' || DEVICE_RE.test(value);
    ui.device.setAttribute('aria-invalid', valid ? 'false' : 'true');
    ui.deviceError.hidden = valid;
    return valid ? value : null;
  }

  function applyFilter() {
    const device = readFilter();
    if (device === null || (device === state.device && state.source)) {
      return;
    }
    state.device = device;
    const url = new URL(window.location.href);
    if (device) {
      url.searchParams.set('deviceId', device);
    } else {
      url.searchParams.delete('deviceId');
    }
    window.history.replaceState(null, '', url);
    connect();
  }

  ui.device.addEventListener('input', () => {
    clearTimeout(state.debounceTimer);
    readFilter();
    state.debounceTimer = setTimeout(applyFilter, DEBOUNCE_MS);
  });

  // The token, when the client has one. EventSource cannot send an Authorization header, so the
  // page trades the token once for a session cookie (POST /session; HttpOnly, so no script here
  // can read it) that the browser then sends with the stream. The token is not kept by the page.
  function askToken(message) {
    setStatus('closed', 'token needed');
    ui.login.hidden = false;
    ui.loginError.hidden = !message;
    ui.loginError.textContent = message || '';
    ui.token.focus();
  }

  function start() {
    ui.login.hidden = true;
    applyFilter();
    if (!state.source) {
      connect(); // the query held an invalid deviceId: show everything, keep the error visible
    }
  }

  // Asks the client whether a token is needed and our cookie is a live session: if not, shows the
  // form; if so, starts the stream, unless this follows a stream the browser gave up on for another
  // reason (then the page stays 'disconnected', as it always did).
  async function checkSession(afterError = false) {
    try {
      const reply = await fetch('/session', { credentials: 'same-origin', cache: 'no-store' });
      const status = await reply.json();
      if (status.required && !status.session) {
        if (state.source) {
          state.source.close();
          state.source = null;
        }
        askToken('');
        return;
      }
    } catch (e) {
      // an older client without /session, or a network error: the stream's own retries decide
    }
    if (!afterError) {
      start();
    }
  }

  ui.login.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = ui.token.value.trim();
    ui.token.value = '';
    try {
      const reply = await fetch('/session', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { Authorization: 'Bearer ' + token },
      });
      if (reply.ok) {
        start();
        return;
      }
      const body = await reply.json().catch(() => ({}));
      askToken(body.error || ('refused: ' + reply.status));
    } catch (e) {
      askToken('cannot reach the client: ' + e.message);
    }
  });

  ui.device.value = new URL(window.location.href).searchParams.get('deviceId') || '';
  checkSession();
  setInterval(drawChart, 1000);
  window.addEventListener('resize', drawChart);

  // A small hook for the browser test: it feeds an anomaly through the same rendering path
  // the stream uses (receive → flush → textContent), e.g. one whose deviceId holds markup.
  window.anomalyflowPage = Object.freeze({ receive, flush });
})();
