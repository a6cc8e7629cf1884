// TeamBot local web chat: a small team chat for the `local` workspace.
// Plain ES2020, no framework, no build step.
//
// Security: every piece of data from the server (lead names, card text, ...) is
// untrusted. The DOM is built with createElement + textContent only; links from
// data are rendered only for http(s) URLs. Never add innerHTML & co. here.
'use strict';

(() => {
  const API = '/api/local';
  const LS_ME = 'teambot.localchat.me';
  const REFRESH_DEBOUNCE_MS = 100;
  const POLL_MS = 3000;
  const SSE_RETRY_MIN_MS = 5000;
  const SSE_RETRY_MAX_MS = 60000;
  const CARD_COLORS = new Set(['good', 'warning', 'danger', 'accent']);
  const BUTTON_STYLES = new Set(['primary', 'secondary', 'success', 'danger']);
  const EVENT_TYPES = ['message.created', 'message.updated', 'reaction.changed'];

  // ---------------------------------------------------------------- state

  const state = {
    config: null,
    people: [],
    me: null,              // person id we speak as
    channel: null,         // channel id being viewed ("handoffs", "@sam")
    threadId: null,        // id of the top-level message whose thread is open
    messages: [],          // top-level messages of the current channel
    loaded: false,
    loadError: null,
    unread: new Set(),     // channel ids with unseen activity
    privates: [],          // "only you can see this" items
    busy: new Set(),       // message ids with an action request in flight
    pending: new Map(),    // `${pane}:${messageId}` -> inline input form state
    editing: null,         // id of one's own message being edited
    conn: 'connecting',
  };
  let privateSeq = 0;

  const $ = (id) => document.getElementById(id);
  const els = {};

  // ---------------------------------------------------------------- DOM helpers

  /**
   * Creates an element. props: class, text, dataset, on<event> (functions only),
   * a few DOM properties (disabled, value, selected, hidden, checked), anything
   * else as an attribute. Children: nodes or strings (strings become text nodes).
   */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v == null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'disabled' || k === 'value' || k === 'selected' || k === 'hidden' || k === 'checked') el[k] = v;
        else if (k.startsWith('on')) throw new Error('event handler must be a function');
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  const enc = (s) => encodeURIComponent(String(s));
  const str = (v) => (v == null ? '' : String(v));

  function safeHttpUrl(url) {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return null;
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch {
      return null;
    }
  }

  /**
   * Splits text into text nodes and links for the http(s) URLs in it (the digest's page link, a lead's
   * link). Links are built with textContent and only for URLs safeHttpUrl accepts; trailing punctuation
   * stays text.
   */
  function linkify(text) {
    const out = [];
    const re = /\bhttps?:\/\/[^\s<>"]+/gi;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      let url = m[0];
      const trail = /[.,;:!?)\]}'’”]+$/.exec(url);
      if (trail) url = url.slice(0, url.length - trail[0].length);
      const href = safeHttpUrl(url);
      if (!href) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(h('a', { class: 'msg-link', href, target: '_blank', rel: 'noopener noreferrer', text: url }));
      last = m.index + url.length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  function parseDate(s) {
    if (!s) return null;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const fmtTime = (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const fmtFull = (d) => d.toLocaleString([], { dateStyle: 'full', timeStyle: 'medium' });
  const dayKey = (d) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
  function dayLabel(d) {
    const now = new Date();
    if (dayKey(d) === dayKey(now)) return 'Today';
    const y = new Date(now);
    y.setDate(now.getDate() - 1);
    if (dayKey(d) === dayKey(y)) return 'Yesterday';
    const opts = { weekday: 'long', month: 'long', day: 'numeric' };
    if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
    return d.toLocaleDateString([], opts);
  }

  function initials(name) {
    const parts = str(name).trim().split(/\s+/).filter(Boolean);
    if (!parts.length) return '?';
    const first = Array.from(parts[0])[0] || '';
    const last = parts.length > 1 ? Array.from(parts[parts.length - 1])[0] || '' : '';
    return (first + last).toUpperCase();
  }
  function hue(s) {
    let x = 0;
    for (const ch of str(s)) x = (x * 31 + ch.codePointAt(0)) >>> 0;
    return x % 360;
  }

  const person = (id) => state.people.find((p) => p.id === id) || null;
  const meName = () => (person(state.me) || {}).name || state.me || '';
  const botName = () => (state.config && state.config.bot && state.config.bot.name) || 'TeamBot';
  const isDm = (ch) => typeof ch === 'string' && ch.startsWith('@');
  const myDm = () => '@' + state.me;

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API + path, init);
    } catch {
      throw new ApiError('Could not reach the TeamBot server. Is it still running?', 0);
    }
    let data = null;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json')) {
      try { data = await res.json(); } catch { data = null; }
    }
    // The chat asks for its access token and the login has expired: sign in again.
    if (res.status === 401) window.location.assign('/login');
    if (!res.ok) throw new ApiError(problemMessage(data, res), res.status);
    return data;
  }

  function problemMessage(p, res) {
    let msg = '';
    if (p && typeof p === 'object') {
      msg = str(p.detail) || str(p.title);
      if (p.errors && typeof p.errors === 'object') {
        const list = Array.isArray(p.errors) ? p.errors : Object.values(p.errors);
        const extra = list.flat().map((e) => (typeof e === 'string' ? e : str(e && (e.message || e.detail)))).filter(Boolean);
        if (extra.length && !p.detail) msg = (msg ? msg + ' ' : '') + extra.join(' ');
      }
    }
    return msg || `The server answered ${res.status} ${res.statusText || ''}`.trim();
  }

  // ---------------------------------------------------------------- error banner

  function showError(err) {
    const text = err instanceof Error ? err.message : str(err);
    els.bannerText.textContent = text || 'Something went wrong.';
    els.banner.hidden = false;
  }
  function hideError() {
    els.banner.hidden = true;
  }

  // ---------------------------------------------------------------- routing (#/channel[/thread/id])

  function routeHash(channel, threadId) {
    let s = '#/' + enc(channel).replace(/^%40/, '@');
    if (threadId) s += '/thread/' + enc(threadId);
    return s;
  }
  function parseHash() {
    const m = /^#\/([^/]+)(?:\/thread\/([^/]+))?/.exec(location.hash);
    if (!m) return { channel: null, threadId: null };
    try {
      return { channel: decodeURIComponent(m[1]), threadId: m[2] ? decodeURIComponent(m[2]) : null };
    } catch {
      return { channel: null, threadId: null };
    }
  }
  function navigate(channel, threadId, replace) {
    const hash = routeHash(channel, threadId);
    if (location.hash === hash) { applyRoute(); return; }
    if (replace) { history.replaceState(null, '', hash); applyRoute(); } else location.hash = hash; // hashchange -> applyRoute
  }
  function knownChannel(ch) {
    if (!ch) return false;
    if (isDm(ch)) return true;
    return (state.config.channels || []).some((c) => c.id === ch);
  }
  function defaultChannel() {
    const chs = state.config.channels || [];
    return chs.length ? chs[0].id : myDm();
  }

  function applyRoute() {
    let { channel, threadId } = parseHash();
    if (!knownChannel(channel)) {
      history.replaceState(null, '', routeHash(defaultChannel(), null));
      ({ channel, threadId } = parseHash());
    } else if (isDm(channel) && channel !== myDm()) {
      // The DM entry is the current person's conversation with the bot.
      history.replaceState(null, '', routeHash(myDm(), null));
      ({ channel, threadId } = parseHash());
    }
    if (channel !== state.channel) switchChannel(channel);
    if (threadId !== state.threadId) {
      state.threadId = threadId;
      threadCache.clear();
    }
    document.body.classList.remove('sidebar-open');
    renderAll();
    const f = focusAfterRoute;
    focusAfterRoute = null;
    if (f && state.threadId != null) {
      if (f === 'composer') threadComposer.focus();
      else els.threadScroll.focus({ preventScroll: true });
    }
  }
  let focusAfterRoute = null;

  function switchChannel(channel) {
    if (state.channel) mainComposer.saveDraft();
    state.channel = channel;
    state.messages = [];
    state.loaded = false;
    state.loadError = null;
    state.unread.delete(channel);
    mainCache.clear();
    threadCache.clear();
    stickMain = true;
    mainComposer.setTarget(channel);
    refreshNow();
  }

  // ---------------------------------------------------------------- data refresh

  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function scheduleRefresh(delay = REFRESH_DEBOUNCE_MS) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshNow, delay);
  }

  async function refreshNow() {
    clearTimeout(refreshTimer);
    if (!state.channel) return;
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    const ch = state.channel;
    try {
      const data = await api('GET', `/channels/${enc(ch)}/messages`);
      if (ch === state.channel) {
        state.messages = Array.isArray(data && data.messages) ? data.messages.map(normalizeMessage).filter(Boolean) : [];
        state.loaded = true;
        state.loadError = null;
        if (state.conn === 'offline') setConn(pollTimer ? 'polling' : 'live');
        renderAll();
      }
    } catch (err) {
      if (ch === state.channel) {
        if (!state.loaded) { state.loadError = err.message; renderAll(); }
        else if (err.status === 0) setConn('offline');
        else showError(err);
      }
    } finally {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; refreshNow(); }
    }
  }

  function findMessage(id) {
    for (const m of state.messages) {
      if (m.id === id) return m;
      for (const r of m.replies || []) if (r.id === id) return r;
    }
    for (const p of state.privates) if (p.message && p.message.id === id) return p.message;
    return null;
  }

  /** Ids are compared as strings everywhere (the URL hash holds strings). */
  function normalizeMessage(m) {
    if (!m || typeof m !== 'object') return null;
    const out = Object.assign({}, m);
    if (out.id != null) out.id = String(out.id);
    if (out.threadOf != null) out.threadOf = String(out.threadOf);
    out.replies = Array.isArray(m.replies) ? m.replies.map(normalizeMessage).filter(Boolean) : [];
    return out;
  }

  /** Puts a message we got from a POST/PUT into the local list right away. */
  function upsertMessage(raw) {
    const msg = normalizeMessage(raw);
    if (!msg || msg.channel !== state.channel || msg.id == null) return;
    if (msg.threadOf == null) {
      const i = state.messages.findIndex((m) => m.id === msg.id);
      if (i >= 0) state.messages[i] = Object.assign({}, msg, { replies: msg.replies || state.messages[i].replies || [] });
      else state.messages.push(Object.assign({ replies: [] }, msg));
    } else {
      const root = state.messages.find((m) => m.id === msg.threadOf);
      if (!root) return;
      const replies = (root.replies = root.replies ? root.replies.slice() : []);
      const i = replies.findIndex((m) => m.id === msg.id);
      if (i >= 0) replies[i] = msg; else replies.push(msg);
      // Make the root's signature change so its "N replies" line re-renders.
      const ri = state.messages.indexOf(root);
      state.messages[ri] = Object.assign({}, root);
    }
  }

  // ---------------------------------------------------------------- live updates (SSE, polling fallback)

  let es = null;
  let pollTimer = null;
  let sseRetryTimer = null;
  let sseRetryDelay = SSE_RETRY_MIN_MS;
  let sseEverOpened = false;

  function setConn(c) {
    state.conn = c;
    const labels = {
      connecting: ['Connecting…', 'conn-wait'],
      live: ['Live', 'conn-live'],
      polling: ['Reconnecting · checking every 3 s', 'conn-wait'],
      offline: ['Offline', 'conn-off'],
    };
    const [text, cls] = labels[c] || labels.connecting;
    els.conn.textContent = text;
    els.conn.className = 'conn ' + cls;
    els.conn.title = c === 'live' ? 'Updates arrive as they happen' : text;
  }

  function connectEvents() {
    clearTimeout(sseRetryTimer);
    if (!('EventSource' in window)) { startPolling(); return; }
    try {
      es = new EventSource(API + '/events');
    } catch {
      es = null;
      startPolling();
      retryEventsLater();
      return;
    }
    es.onopen = () => {
      sseRetryDelay = SSE_RETRY_MIN_MS;
      stopPolling();
      setConn('live');
      // Catch up on whatever happened while we were not listening.
      if (sseEverOpened) scheduleRefresh(0);
      sseEverOpened = true;
    };
    es.onmessage = (e) => handleEvent(e.data);
    for (const t of EVENT_TYPES) es.addEventListener(t, (e) => handleEvent(e.data));
    es.onerror = () => {
      if (es) es.close();
      es = null;
      if (state.conn !== 'offline') setConn('polling');
      startPolling();
      retryEventsLater();
    };
  }
  function retryEventsLater() {
    clearTimeout(sseRetryTimer);
    sseRetryTimer = setTimeout(connectEvents, sseRetryDelay);
    sseRetryDelay = Math.min(sseRetryDelay * 2, SSE_RETRY_MAX_MS);
  }
  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(() => refreshNow(), POLL_MS);
  }
  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function handleEvent(data) {
    let ev;
    try { ev = JSON.parse(data); } catch { return; }
    if (!ev || typeof ev.channel !== 'string') return;
    if (ev.channel === state.channel) {
      scheduleRefresh();
    } else if (!isDm(ev.channel) || ev.channel === myDm()) {
      if (!state.unread.has(ev.channel)) {
        state.unread.add(ev.channel);
        renderSidebar();
      }
    }
  }

  // ---------------------------------------------------------------- mutations

  function privateLocation(ctx) {
    return { channel: ctx.channel || state.channel, threadOf: ctx.pane === 'thread' ? ctx.rootId : null };
  }

  function addPrivate(loc, message, notice) {
    const item = {
      key: 'p' + ++privateSeq,
      person: state.me,
      channel: loc.channel,
      threadOf: loc.threadOf || null,
      message: normalizeMessage(message) || {
        id: null,
        author: { id: (state.config.bot || {}).id || 'teambot', name: botName(), isBot: true },
        text: notice,
        createdAt: new Date().toISOString(),
        reactions: [],
        replies: [],
      },
      isNotice: !message,
    };
    state.privates.push(item);
    if (loc.channel === state.channel && loc.threadOf) stickThread = true;
    else if (loc.channel === state.channel) stickMain = true;
  }

  function handleReply(reply, loc) {
    if (!reply || !reply.message) return;
    if (reply.visibility === 'private') addPrivate(loc, reply.message);
    else upsertMessage(reply.message);
  }

  async function postMessage(target, text) {
    // target: {channel, rootId|null}
    const user = state.me;
    const path = target.rootId
      ? `/messages/${enc(target.rootId)}/replies`
      : `/channels/${enc(target.channel)}/messages`;
    const res = await api('POST', path, { user, text });
    if (res && res.message) upsertMessage(res.message);
    if (res && res.reply) {
      handleReply(res.reply, { channel: target.channel, threadOf: target.rootId || null });
    }
    if (target.rootId) stickThread = true; else stickMain = true;
    renderAll();
    scheduleRefresh();
  }

  function canEdit(msg, ctx) {
    const author = msg.author || {};
    return !ctx.privateItem && msg.id != null && !author.isBot && author.id === state.me && !msg.card && !msg.command;
  }

  async function saveEdit(msg, text) {
    if (!text.trim() || text === msg.text) {
      state.editing = null;
      renderAll();
      return;
    }
    try {
      const res = await api('PATCH', `/messages/${enc(msg.id)}`, { user: state.me, text });
      state.editing = null;
      if (res && res.message) upsertMessage(res.message);
      if (res && res.reply) handleReply(res.reply, { channel: msg.channel, threadOf: msg.threadOf || null });
      hideError();
    } catch (err) {
      showError(err);
    }
    renderAll();
    scheduleRefresh();
  }

  function renderEditor(msg) {
    const area = h('textarea', { class: 'edit-text', rows: 3, 'aria-label': 'Edit your message', dataset: { fk: 'edit-text' } });
    area.value = String(msg.text || '');
    // Grow with the text (as the composer does), so that a long answer is seen whole while editing.
    const fit = () => {
      area.style.height = 'auto';
      area.style.height = `${Math.min(area.scrollHeight + 2, 320)}px`;
    };
    area.addEventListener('input', fit);
    const save = () => saveEdit(msg, area.value);
    const cancel = () => { state.editing = null; renderAll(); };
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); save(); }
      if (e.key === 'Escape') { e.preventDefault(); cancel(); }
    });
    setTimeout(() => {
      fit();
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    }, 0);
    return h('div', { class: 'edit-form' }, area,
      h('div', { class: 'edit-actions' },
        h('button', { type: 'button', class: 'btn btn-primary', dataset: { fk: 'edit-save' }, onclick: save }, 'Save'),
        h('button', { type: 'button', class: 'btn btn-secondary', dataset: { fk: 'edit-cancel' }, onclick: cancel }, 'Cancel')));
  }

  async function toggleReaction(messageId, emoji, ctx) {
    const msg = findMessage(messageId);
    if (!msg || msg.id == null) return;
    const me = state.me;
    const group = (msg.reactions || []).find((r) => r.emoji === emoji);
    const reacted = !!(group && (group.users || []).some((u) => u.id === me));
    try {
      const res = await api(reacted ? 'DELETE' : 'PUT',
        `/messages/${enc(messageId)}/reactions/${enc(emoji)}?user=${enc(me)}`);
      if (res && res.message) upsertMessage(res.message);
      if (res && res.notice && res.notice.text) addPrivate(privateLocation(ctx), null, res.notice.text);
      renderAll();
      scheduleRefresh();
    } catch (err) {
      showError(err);
    }
  }

  function combineValue(value, text) {
    if (!text) return value == null ? null : value;
    if (value == null || value === '') return text;
    return `${value}:${text}`;
  }

  async function runAction(msg, actionId, value, ctx) {
    const id = msg.id;
    if (id == null || state.busy.has(id)) return;
    state.busy.add(id);
    renderAll();
    try {
      const res = await api('POST', `/messages/${enc(id)}/actions`, { user: state.me, action: actionId, value: value == null ? null : value });
      if (res && res.message) {
        if (ctx.privateItem) ctx.privateItem.message = normalizeMessage(res.message);
        else upsertMessage(res.message);
      }
      if (res && res.reply) handleReply(res.reply, privateLocation(ctx));
    } catch (err) {
      showError(err);
    } finally {
      state.busy.delete(id);
      renderAll();
      scheduleRefresh();
    }
  }

  // ---------------------------------------------------------------- reaction palette

  let palette = null;

  function closePalette(restoreFocus) {
    if (!palette) return;
    const { el, anchor } = palette;
    palette = null;
    el.remove();
    const holder = anchor && anchor.closest('.msg');
    if (holder) holder.classList.remove('palette-open');
    document.removeEventListener('mousedown', onDocMouseDown, true);
    if (restoreFocus && anchor && document.contains(anchor)) anchor.focus();
  }
  function onDocMouseDown(e) {
    if (palette && !palette.el.contains(e.target) && e.target !== palette.anchor) closePalette(false);
  }

  /** Places the palette under (or above) its button; closes it once the button is gone or scrolled away. */
  function positionPalette() {
    if (!palette) return;
    const { el, anchor } = palette;
    const scroller = anchor.closest('.scroll');
    const r = anchor.getBoundingClientRect();
    const box = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    if (!document.contains(anchor) || r.bottom < box.top || r.top > box.bottom) { closePalette(false); return; }
    const pw = el.offsetWidth;
    const ph = el.offsetHeight;
    let top = r.bottom + 6;
    if (top + ph > window.innerHeight - 8) top = Math.max(8, r.top - ph - 6);
    const left = Math.max(8, Math.min(r.right - pw, window.innerWidth - pw - 8));
    el.style.top = `${top}px`;
    el.style.left = `${left}px`;
  }

  function openPalette(anchor, messageId, ctx) {
    if (palette && palette.anchor === anchor) { closePalette(true); return; }
    closePalette(false);
    const reactions = (state.config.reactions || []);
    const msg = findMessage(messageId);
    const mine = new Set(((msg && msg.reactions) || [])
      .filter((r) => (r.users || []).some((u) => u.id === state.me)).map((r) => r.emoji));
    const items = reactions.map((r) => h('button', {
      type: 'button',
      class: 'palette-item' + (mine.has(r.emoji) ? ' is-mine' : ''),
      title: mine.has(r.emoji) ? `Remove your ${r.emoji} (${r.label})` : `React with ${r.emoji} (${r.label})`,
      'aria-pressed': mine.has(r.emoji) ? 'true' : 'false',
      onclick: () => { closePalette(true); toggleReaction(messageId, r.emoji, ctx); },
    }, h('span', { class: 'palette-emoji', 'aria-hidden': 'true', text: r.emoji }), h('span', { class: 'palette-label', text: r.label })));
    const el = h('div', { class: 'palette', role: 'dialog', 'aria-label': 'Add a reaction' },
      items.length ? items : h('p', { class: 'palette-empty', text: 'No reactions are configured.' }));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); closePalette(true); return; }
      const btns = Array.from(el.querySelectorAll('button'));
      const i = btns.indexOf(document.activeElement);
      let j = -1;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % btns.length;
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i - 1 + btns.length) % btns.length;
      else if (e.key === 'Home') j = 0;
      else if (e.key === 'End') j = btns.length - 1;
      else if (e.key === 'Tab') { closePalette(true); e.preventDefault(); return; }
      if (j >= 0 && btns[j]) { e.preventDefault(); btns[j].focus(); }
    });
    document.body.append(el);
    palette = { el, anchor };
    const holder = anchor.closest('.msg');
    if (holder) holder.classList.add('palette-open');
    positionPalette();
    document.addEventListener('mousedown', onDocMouseDown, true);
    const first = el.querySelector('button');
    if (first) first.focus();
  }

  // ---------------------------------------------------------------- message rendering

  function renderAvatar(author) {
    if (author && author.isBot) return h('div', { class: 'avatar avatar-bot', 'aria-hidden': 'true', text: '🤖' });
    const name = (author && (author.name || author.id)) || '?';
    const el = h('div', { class: 'avatar', 'aria-hidden': 'true', text: initials(name) });
    el.style.setProperty('--avatar-hue', String(hue((author && author.id) || name)));
    return el;
  }

  function renderCard(card) {
    const color = CARD_COLORS.has(card.color) ? card.color : 'default';
    const kids = [];
    if (card.title) kids.push(h('div', { class: 'card-title', text: card.title }));
    if (card.subtitle) kids.push(h('div', { class: 'card-subtitle', text: card.subtitle }));
    const fields = Array.isArray(card.fields) ? card.fields : [];
    if (fields.length) {
      kids.push(h('dl', { class: 'card-fields' }, fields.map((f) => h('div', { class: 'card-field' + (f.inline ? ' is-inline' : '') },
        h('dt', { text: str(f.name) }),
        h('dd', { text: str(f.value) })))));
    }
    if (card.text) kids.push(h('div', { class: 'card-text', text: card.text }));
    const url = safeHttpUrl(card.url);
    if (url) {
      kids.push(h('a', { class: 'card-link', href: url, target: '_blank', rel: 'noopener noreferrer' },
        str(card.urlLabel) || url, h('span', { class: 'ext', 'aria-hidden': 'true', text: ' ↗' })));
    }
    if (card.footer) kids.push(h('div', { class: 'card-footer', text: card.footer }));
    return h('div', { class: `card card-${color}` }, kids);
  }

  function renderInteractive(msg, ctx) {
    const card = msg.card;
    const actions = card && Array.isArray(card.actions) ? card.actions : [];
    const choices = card && Array.isArray(card.choices) ? card.choices : [];
    if (!actions.length && !choices.length) return null;
    // A message without an id (e.g. a private reply the server did not store) cannot be acted on.
    const busy = state.busy.has(msg.id) || msg.id == null;
    const pendKey = `${ctx.pane}:${ctx.privateItem ? ctx.privateItem.key : msg.id}`;
    const out = [];

    function ask(actionId, value, label, input) {
      state.pending.set(pendKey, {
        actionId, value, label,
        prompt: str(input.prompt) || `Details for “${label}”`,
        required: !!input.required,
        text: '',
        error: null,
      });
      renderAll();
      const node = ctx.lookupNode && ctx.lookupNode();
      const field = node && node.querySelector('[data-fk="input"]');
      if (field) field.focus();
    }

    if (actions.length) {
      out.push(h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, actions.map((a, i) => {
        const style = BUTTON_STYLES.has(a.style) ? a.style : 'secondary';
        const label = str(a.label) || str(a.id);
        return h('button', {
          type: 'button',
          class: `btn btn-${style}`,
          disabled: busy,
          dataset: { fk: `act:${i}:${str(a.id)}` },
          onclick: () => {
            if (a.input) ask(a.id, a.value, label, a.input);
            else runAction(msg, a.id, a.value, ctx);
          },
        }, label);
      })));
    }

    for (const [ci, c] of choices.entries()) {
      const options = Array.isArray(c.options) ? c.options : [];
      const placeholder = str(c.placeholder) || 'Choose…';
      const sel = h('select', {
        class: 'choice',
        'aria-label': placeholder.replace(/[.…]+$/, ''),
        disabled: busy,
        dataset: { fk: `choice:${ci}:${str(c.id)}` },
      },
      h('option', { value: '', disabled: true, selected: true, text: placeholder }),
      options.map((o, i) => h('option', {
        value: String(i),
        title: o.description || null,
        text: o.description ? `${str(o.label)} — ${o.description}` : str(o.label),
      })));
      sel.addEventListener('change', () => {
        const o = options[Number(sel.value)];
        if (!o) return;
        if (o.input) {
          ask(c.id, o.value, str(o.label), o.input);
        } else {
          runAction(msg, c.id, o.value, ctx);
        }
      });
      out.push(h('div', { class: 'choice-wrap' }, sel));
    }

    const pend = state.pending.get(pendKey);
    if (pend) {
      const inputId = `in-${pendKey.replace(/[^a-z0-9]/gi, '-')}`;
      const field = h('input', {
        type: 'text', id: inputId, class: 'ask-input',
        value: pend.text, 'aria-required': pend.required ? 'true' : null,
        'aria-invalid': pend.error ? 'true' : null,
        autocomplete: 'off',
        dataset: { fk: 'input' },
      });
      field.addEventListener('input', () => { pend.text = field.value; });
      const cancel = () => {
        state.pending.delete(pendKey);
        renderAll();
        const node = ctx.lookupNode && ctx.lookupNode();
        const back = node && node.querySelector('.actions button, select.choice');
        if (back) back.focus();
      };
      const form = h('form', { class: 'ask', 'aria-label': pend.label, novalidate: true },
        h('label', { for: inputId, class: 'ask-prompt' }, pend.prompt, pend.required ? h('span', { class: 'req', text: ' (required)' }) : null),
        h('div', { class: 'ask-row' },
          field,
          h('button', { type: 'submit', class: 'btn btn-primary', disabled: busy, dataset: { fk: 'ask-ok' } }, `Send “${pend.label}”`),
          h('button', { type: 'button', class: 'btn btn-secondary', onclick: cancel }, 'Cancel')),
        pend.error ? h('div', { class: 'ask-error', text: pend.error }) : null);
      form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); cancel(); } });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const text = field.value.trim();
        if (pend.required && !text) {
          pend.error = 'Please fill this in first.';
          pend.text = field.value;
          renderAll();
          const node = ctx.lookupNode && ctx.lookupNode();
          const f = node && node.querySelector('[data-fk="input"]');
          if (f) f.focus();
          return;
        }
        state.pending.delete(pendKey);
        runAction(msg, pend.actionId, combineValue(pend.value, text), ctx);
      });
      out.push(form);
    }
    return h('div', { class: 'interactive' }, out);
  }

  function reactionTitle(group) {
    const names = (group.users || []).map((u) => (u.id === state.me ? 'You' : str(u.name || u.id)));
    const conf = (state.config.reactions || []).find((r) => r.emoji === group.emoji);
    const what = conf ? `${group.emoji} (${conf.label})` : group.emoji;
    return names.length ? `${names.join(', ')} reacted with ${what}` : what;
  }

  function renderReactions(msg, ctx) {
    const groups = (Array.isArray(msg.reactions) ? msg.reactions : []).filter((g) => g && (g.users || []).length);
    if (!groups.length) return null;
    const pills = groups.map((g) => {
      const mine = (g.users || []).some((u) => u.id === state.me);
      const count = (g.users || []).length;
      const title = reactionTitle(g);
      return h('button', {
        type: 'button',
        class: 'pill' + (mine ? ' is-mine' : ''),
        title,
        'aria-label': `${title}. ${mine ? 'Click to remove your reaction' : 'Click to add yours'}`,
        'aria-pressed': mine ? 'true' : 'false',
        dataset: { fk: `react:${g.emoji}` },
        onclick: () => toggleReaction(msg.id, g.emoji, ctx),
      }, h('span', { class: 'pill-emoji', text: g.emoji }), h('span', { class: 'pill-count', text: String(count) }));
    });
    const add = h('button', {
      type: 'button', class: 'pill pill-add', title: 'Add reaction', 'aria-label': 'Add reaction',
      'aria-haspopup': 'dialog', dataset: { fk: 'add-react-pill' },
    }, '☺+');
    add.addEventListener('click', () => openPalette(add, msg.id, ctx));
    return h('div', { class: 'reactions' }, pills, add);
  }

  function renderThreadSummary(msg) {
    const replies = Array.isArray(msg.replies) ? msg.replies : [];
    if (!replies.length) return null;
    const last = parseDate(replies[replies.length - 1].createdAt);
    const who = [];
    for (const r of replies) {
      const a = r.author || {};
      if (!who.some((x) => x.id === a.id)) who.push(a);
      if (who.length >= 3) break;
    }
    return h('button', {
      type: 'button', class: 'thread-summary', dataset: { fk: 'thread-summary' },
      onclick: () => openThread(msg.id),
    },
    h('span', { class: 'mini-avatars', 'aria-hidden': 'true' }, who.map((a) => renderAvatar(a))),
    h('span', { class: 'thread-count', text: `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}` }),
    last ? h('span', { class: 'thread-last', text: `Last reply ${fmtTime(last)}` }) : null,
    h('span', { class: 'thread-view', text: 'View thread →' }));
  }

  /**
   * Renders one message. ctx: {pane: 'main'|'thread', channel, rootId, isRoot,
   * privateItem, lookupNode()}.
   */
  function renderMessage(msg, ctx) {
    const author = msg.author || {};
    const created = parseDate(msg.createdAt);
    const edited = parseDate(msg.editedAt);
    const notify = Array.isArray(msg.notify) ? msg.notify : [];
    const mentionsMe = notify.some((p) => p && p.id === state.me);
    const priv = ctx.privateItem;

    const classes = ['msg'];
    if (priv) classes.push('msg-private');
    if (mentionsMe) classes.push('msg-mentions-me');
    if (ctx.pane === 'main' && state.threadId != null && msg.id === state.threadId) classes.push('msg-selected');
    if (ctx.isRoot) classes.push('msg-root');

    const node = h('article', { class: classes.join(' '), 'aria-label': `${str(author.name || author.id)}${created ? ', ' + fmtTime(created) : ''}` });

    if (priv) {
      node.append(h('div', { class: 'private-bar' },
        h('span', { class: 'private-eye', 'aria-hidden': 'true', text: '👁' }),
        h('span', { text: 'Only you can see this' }),
        h('button', {
          type: 'button', class: 'link-btn', dataset: { fk: 'dismiss' },
          onclick: () => {
            state.privates = state.privates.filter((p) => p !== priv);
            renderAll();
          },
        }, 'Dismiss')));
    }

    if (msg.command && (msg.command.text || msg.command.user)) {
      const u = msg.command.user || {};
      node.append(h('div', { class: 'cmd-line' },
        h('span', { class: 'cmd-arrow', 'aria-hidden': 'true', text: '↱ ' }),
        h('span', { class: 'cmd-user', text: str(u.name || u.id || 'Someone') }),
        ' used ',
        h('code', { class: 'cmd-text', text: str(msg.command.text) })));
    }

    const header = h('div', { class: 'msg-header' },
      h('span', { class: 'msg-author', text: str(author.name || author.id || 'Unknown') }),
      author.isBot ? h('span', { class: 'badge-bot', text: 'BOT' }) : null,
      created ? h('time', { class: 'msg-time', datetime: created.toISOString(), title: fmtFull(created), text: fmtTime(created) }) : null,
      edited ? h('span', { class: 'msg-edited', title: `Edited ${fmtFull(edited)}`, text: '(edited)' }) : null);

    const body = h('div', { class: 'msg-body' }, header);

    const hasText = msg.text != null && msg.text !== '';
    if (state.editing === msg.id && canEdit(msg, ctx)) {
      body.append(renderEditor(msg));
    } else if (notify.length || hasText) {
      const textEl = h('div', { class: 'msg-text' });
      for (const p of notify) {
        if (!p) continue;
        textEl.append(h('span', { class: 'mention' + (p.id === state.me ? ' is-me' : ''), title: str(p.id), text: '@' + str(p.name || p.id) }), ' ');
      }
      if (hasText) textEl.append(h('span', null, linkify(String(msg.text))));
      body.append(textEl);
    }

    if (msg.card && typeof msg.card === 'object') body.append(renderCard(msg.card));
    const inter = renderInteractive(msg, ctx);
    if (inter) body.append(inter);
    if (!priv) {
      const reactions = renderReactions(msg, ctx);
      if (reactions) body.append(reactions);
      if (ctx.pane === 'main' && msg.threadOf == null) {
        const summary = renderThreadSummary(msg);
        if (summary) body.append(summary);
      }
    }

    node.append(h('div', { class: 'msg-row' }, renderAvatar(author), body));

    if (!priv && msg.id != null) {
      const addBtn = h('button', {
        type: 'button', class: 'tool', title: 'Add reaction', 'aria-label': 'Add reaction',
        'aria-haspopup': 'dialog', dataset: { fk: 'add-react' },
      }, '☺', h('span', { class: 'tool-plus', 'aria-hidden': 'true', text: '+' }));
      addBtn.addEventListener('click', () => openPalette(addBtn, msg.id, ctx));
      const tools = [addBtn];
      if (ctx.pane === 'main' && msg.threadOf == null) {
        tools.push(h('button', {
          type: 'button', class: 'tool', title: 'Reply in thread', 'aria-label': 'Reply in thread',
          dataset: { fk: 'reply' }, onclick: () => openThread(msg.id, true),
        }, '💬', h('span', { class: 'tool-text', text: 'Reply' })));
      }
      if (canEdit(msg, ctx)) {
        tools.push(h('button', {
          type: 'button', class: 'tool', title: 'Edit your message', 'aria-label': 'Edit',
          dataset: { fk: 'edit' }, onclick: () => { state.editing = msg.id; renderAll(); },
        }, '✏️', h('span', { class: 'tool-text', text: 'Edit' })));
      }
      node.append(h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Message actions' }, tools));
    }
    return node;
  }

  // ---------------------------------------------------------------- keyed list rendering

  /**
   * Syncs container children with entries [{key, sig, build}] and reuses nodes
   * whose signature did not change (keeps select state, focus, open forms).
   */
  function reconcile(container, entries, cache) {
    const active = document.activeElement;
    let focus = null;
    if (active && active !== document.body && container.contains(active)) {
      const holder = active.closest('[data-key]');
      const fkEl = active.closest('[data-fk]');
      if (holder && fkEl) focus = { key: holder.dataset.key, fk: fkEl.dataset.fk };
    }
    const next = new Map();
    const nodes = [];
    for (const e of entries) {
      let c = cache.get(e.key);
      if (!c || c.sig !== e.sig) {
        c = { sig: e.sig, node: e.build() };
        c.node.dataset.key = e.key;
      }
      next.set(e.key, c);
      nodes.push(c.node);
    }
    nodes.forEach((node, i) => {
      const cur = container.children[i];
      if (cur !== node) container.insertBefore(node, cur || null);
    });
    while (container.children.length > nodes.length) container.lastElementChild.remove();
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
    if (focus && !document.contains(active)) {
      const c = cache.get(focus.key);
      const target = c && Array.from(c.node.querySelectorAll('[data-fk]')).find((x) => x.dataset.fk === focus.fk);
      if (target && !target.disabled) target.focus({ preventScroll: true });
      else if (c) {
        c.node.tabIndex = -1;
        c.node.focus({ preventScroll: true });
      }
    }
  }

  function messageSig(msg, ctx) {
    const pend = state.pending.get(`${ctx.pane}:${ctx.privateItem ? ctx.privateItem.key : msg.id}`);
    return JSON.stringify([msg, state.me, state.busy.has(msg.id), state.editing === msg.id,
      pend ? [pend.actionId, pend.error] : null,
      ctx.pane === 'main' && msg.id === state.threadId, !!ctx.isRoot]);
  }

  function messageEntry(msg, ctx, keyPrefix, cache) {
    const key = keyPrefix + (ctx.privateItem ? ctx.privateItem.key : 'm' + msg.id);
    ctx.lookupNode = () => { const c = cache.get(key); return c && c.node; };
    return { key, sig: messageSig(msg, ctx), build: () => renderMessage(msg, ctx) };
  }

  const mainCache = new Map();
  const threadCache = new Map();
  let stickMain = true;
  let stickThread = true;

  function isAtBottom(scroller) {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  }

  function myPrivates(channel, threadOf) {
    return state.privates.filter((p) => p.person === state.me && p.channel === channel && (p.threadOf || null) === (threadOf || null));
  }

  /**
   * Places private items ("only you can see this") among the messages by time, so that the answer to a
   * command sits where it was given, not below everything that was posted after it.
   */
  function mergeByTime(messages, privates) {
    const out = messages.map((m) => ({ msg: m, priv: null }));
    for (const p of privates) {
      const at = parseDate(p.message && p.message.createdAt);
      let i = out.length;
      if (at) {
        while (i > 0) {
          const d = parseDate(out[i - 1].msg.createdAt);
          if (!d || d <= at) break;
          i--;
        }
      }
      out.splice(i, 0, { msg: p.message, priv: p });
    }
    return out;
  }

  function channelLabel(ch) {
    if (isDm(ch)) return botName();
    const c = (state.config.channels || []).find((x) => x.id === ch);
    return '#' + str(c ? c.name : ch);
  }

  function renderMain() {
    const scroller = els.msgScroll;
    const stick = stickMain || isAtBottom(scroller);
    const ch = state.channel;
    const entries = [];
    if (state.loadError && !state.loaded) {
      entries.push({
        key: 'err', sig: 'err:' + state.loadError, build: () => h('div', { class: 'list-state' },
          h('p', { text: `Could not load ${channelLabel(ch)}: ${state.loadError}` }),
          h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => { state.loadError = null; renderAll(); refreshNow(); } }, 'Try again')),
      });
    } else if (!state.loaded) {
      entries.push({ key: 'loading', sig: 'loading', build: () => h('div', { class: 'list-state', text: 'Loading messages…' }) });
    } else {
      entries.push({ key: 'intro:' + ch, sig: ch + state.me, build: () => renderIntro(ch) });
      let lastDay = null;
      for (const { msg: m, priv } of mergeByTime(state.messages, myPrivates(ch, null))) {
        const d = parseDate(m.createdAt);
        if (d && dayKey(d) !== lastDay) {
          lastDay = dayKey(d);
          const label = dayLabel(d);
          entries.push({ key: 'day:' + lastDay, sig: label, build: () => h('div', { class: 'day', role: 'separator' }, h('span', { text: label })) });
        }
        const ctx = { pane: 'main', channel: ch, rootId: null };
        if (priv) ctx.privateItem = priv;
        entries.push(messageEntry(m, ctx, '', mainCache));
      }
    }
    reconcile(els.msgList, entries, mainCache);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    if (state.loaded) stickMain = false;
  }

  function renderIntro(ch) {
    if (isDm(ch)) {
      return h('div', { class: 'intro' },
        h('div', { class: 'intro-icon', 'aria-hidden': 'true', text: '🤖' }),
        h('h2', { text: botName() }),
        h('p', { text: `This is your direct conversation with ${botName()}, as ${meName()}. Type / to see the commands.` }));
    }
    return h('div', { class: 'intro' },
      h('div', { class: 'intro-icon intro-hash', 'aria-hidden': 'true', text: '#' }),
      h('h2', { text: channelLabel(ch) }),
      h('p', { text: `This is the start of ${channelLabel(ch)} in the ${str(state.config.workspace) || 'local'} workspace.` }));
  }

  function renderThread() {
    const open = state.threadId != null && state.loaded;
    const root = open ? state.messages.find((m) => m.id === state.threadId) : null;
    const show = state.threadId != null;
    els.thread.hidden = !show;
    document.body.classList.toggle('thread-open', show);
    if (!show) {
      threadCache.clear();
      els.threadList.replaceChildren();
      return;
    }
    els.threadSub.textContent = channelLabel(state.channel);
    threadComposer.setTarget(`${state.channel}#${state.threadId}`);
    threadComposer.setEnabled(!!root);
    const scroller = els.threadScroll;
    const stick = stickThread || isAtBottom(scroller);
    const entries = [];
    if (!state.loaded) {
      entries.push({ key: 'loading', sig: 'loading', build: () => h('div', { class: 'list-state', text: 'Loading thread…' }) });
    } else if (!root) {
      entries.push({ key: 'gone', sig: 'gone', build: () => h('div', { class: 'list-state', text: 'This message is not in the channel any more.' }) });
    } else {
      const replies = Array.isArray(root.replies) ? root.replies : [];
      const base = { pane: 'thread', channel: state.channel, rootId: root.id };
      entries.push(messageEntry(root, Object.assign({ isRoot: true }, base), '', threadCache));
      const n = replies.length;
      entries.push({ key: 'sep', sig: String(n), build: () => h('div', { class: 'thread-sep', role: 'separator' }, h('span', { text: n ? `${n} ${n === 1 ? 'reply' : 'replies'}` : 'No replies yet' })) });
      for (const { msg: r, priv } of mergeByTime(replies, myPrivates(state.channel, root.id))) {
        entries.push(messageEntry(r, Object.assign(priv ? { privateItem: priv } : {}, base), '', threadCache));
      }
    }
    reconcile(els.threadList, entries, threadCache);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    if (state.loaded) stickThread = false;
  }

  function openThread(id, focusComposer) {
    stickThread = true;
    focusAfterRoute = focusComposer ? 'composer' : 'panel';
    navigate(state.channel, id);
  }
  function closeThread() {
    const id = state.threadId;
    navigate(state.channel, null);
    const c = mainCache.get('m' + id);
    const back = c && c.node.querySelector('[data-fk="thread-summary"], [data-fk="reply"]');
    if (back) back.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- sidebar & header

  function navItem(channelId, label, prefix) {
    const a = h('a', { class: 'nav-item', href: routeHash(channelId, null), dataset: { channel: channelId } },
      h('span', { class: 'nav-prefix', 'aria-hidden': 'true', text: prefix }),
      h('span', { class: 'nav-label', text: label }),
      h('span', { class: 'unread-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'sr-only unread-sr' }));
    return h('li', null, a);
  }

  function buildSidebar() {
    const cfg = state.config;
    els.wsName.textContent = str(cfg.workspaceName) || str(cfg.workspace) || 'local';
    els.channelList.replaceChildren(...(cfg.channels || []).map((c) => navItem(c.id, str(c.name || c.id), '#')));
    els.dmList.replaceChildren(navItem(myDm(), botName(), '●'));
    const dmLink = els.dmList.querySelector('.nav-item');
    dmLink.querySelector('.nav-prefix').className = 'nav-prefix nav-prefix-bot';
    dmLink.querySelector('.nav-label').append(h('span', { class: 'badge-bot badge-small', text: 'BOT' }));

    els.meSelect.replaceChildren(...state.people.map((p) => {
      const roles = Array.isArray(p.roles) && p.roles.length ? ' · ' + p.roles.join(', ') : '';
      return h('option', { value: str(p.id), text: str(p.name || p.id) + roles });
    }));
    els.meSelect.disabled = state.people.length === 0;
    els.meSelect.value = state.me || '';
  }

  function renderSidebar() {
    const dmLink = els.dmList.querySelector('.nav-item');
    if (dmLink && dmLink.dataset.channel !== myDm()) {
      dmLink.dataset.channel = myDm();
      dmLink.href = routeHash(myDm(), null);
    }
    for (const a of document.querySelectorAll('.nav-item')) {
      const ch = a.dataset.channel;
      const current = ch === state.channel;
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
      const unread = !current && state.unread.has(ch);
      a.classList.toggle('is-unread', unread);
      a.querySelector('.unread-sr').textContent = unread ? ' (new activity)' : '';
    }
    if (els.meSelect.value !== state.me) els.meSelect.value = state.me || '';
  }

  function renderHeader() {
    const ch = state.channel;
    if (!ch) return;
    if (isDm(ch)) {
      els.chName.replaceChildren(h('span', { class: 'ch-hash', 'aria-hidden': 'true', text: '🤖' }), botName(), h('span', { class: 'badge-bot', text: 'BOT' }));
      els.chDesc.textContent = `Direct messages between ${meName()} and ${botName()}`;
    } else {
      const c = (state.config.channels || []).find((x) => x.id === ch);
      els.chName.replaceChildren(h('span', { class: 'ch-hash', 'aria-hidden': 'true', text: '#' }), str(c ? c.name : ch));
      els.chDesc.textContent = `Speaking as ${meName()} · anyone in the ${str(state.config.workspace) || 'local'} workspace can see this channel`;
    }
    const label = isDm(ch) ? botName() : channelLabel(ch);
    document.title = `${label} · TeamBot local chat`;
    mainComposer.setPlaceholder(isDm(ch) ? `Message ${botName()}` : `Message ${channelLabel(ch)}`);
  }

  function renderAll() {
    if (!state.config || !state.channel) return;
    renderSidebar();
    renderHeader();
    renderMain();
    renderThread();
  }

  // ---------------------------------------------------------------- composer

  function createComposer({ label, onSend, id }) {
    const drafts = new Map();
    let target = null;
    let inFlight = false;
    let enabled = true;
    let matches = [];
    let active = -1;
    let navigated = false;
    let dismissedFor = null;

    const listId = `${id}-suggest`;
    const ta = h('textarea', {
      class: 'composer-input', id: `${id}-input`, rows: '1', 'aria-label': label,
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-controls': listId, 'aria-expanded': 'false',
      spellcheck: 'true',
    });
    const send = h('button', { type: 'submit', class: 'send-btn', 'aria-label': 'Send message', title: 'Send (Enter)' },
      h('span', { 'aria-hidden': 'true', text: '➤' }));
    const list = h('div', { class: 'suggest', id: listId, role: 'listbox', 'aria-label': 'Commands', hidden: true });
    const form = h('form', { class: 'composer' },
      list,
      h('div', { class: 'composer-box' }, ta, send),
      h('div', { class: 'composer-hint', 'aria-hidden': 'true' },
        h('kbd', { text: 'Enter' }), ' to send · ', h('kbd', { text: 'Shift+Enter' }), ' for a new line · ', h('kbd', { text: '/' }), ' for commands'));

    function commands() {
      return (state.config && Array.isArray(state.config.commands)) ? state.config.commands : [];
    }
    function computeMatches(text) {
      if (!text.startsWith('/') || text.includes('\n')) return [];
      const q = text.toLowerCase().replace(/\s+/g, ' ');
      const qt = q.trimEnd();
      return commands().filter((c) => {
        const n = str(c.name).toLowerCase();
        return n.startsWith(qt) || q.startsWith(n + ' ') || qt === n;
      });
    }
    function renderSuggest() {
      const text = ta.value;
      matches = text === dismissedFor ? [] : computeMatches(text);
      if (active >= matches.length) active = matches.length - 1;
      const show = matches.length > 0 && document.activeElement === ta;
      list.hidden = !show;
      ta.setAttribute('aria-expanded', show ? 'true' : 'false');
      if (!show) { ta.removeAttribute('aria-activedescendant'); list.replaceChildren(); return; }
      list.replaceChildren(
        h('div', { class: 'suggest-head', 'aria-hidden': 'true', text: 'Commands · Tab to complete' }),
        ...matches.map((c, i) => {
          const opt = h('div', {
            class: 'suggest-item' + (i === active ? ' is-active' : ''), role: 'option', id: `${listId}-${i}`,
            'aria-selected': i === active ? 'true' : 'false',
          },
          h('code', { class: 'suggest-usage', text: str(c.usage || c.name) }),
          c.description ? h('span', { class: 'suggest-desc', text: str(c.description) }) : null);
          opt.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the textarea
          opt.addEventListener('click', () => fill(c));
          return opt;
        }));
      if (active >= 0) ta.setAttribute('aria-activedescendant', `${listId}-${active}`);
      else ta.removeAttribute('aria-activedescendant');
    }
    function fill(c) {
      const name = str(c.name);
      if (!ta.value.toLowerCase().startsWith(name.toLowerCase() + ' ')) ta.value = name + ' ';
      dismissedFor = ta.value;
      active = -1;
      navigated = false;
      autosize();
      ta.focus();
      ta.setSelectionRange(ta.value.length, ta.value.length);
      renderSuggest();
    }
    function autosize() {
      ta.style.height = 'auto';
      ta.style.height = `${Math.min(ta.scrollHeight, 200)}px`;
    }
    function updateSend() {
      send.disabled = inFlight || !enabled || ta.value.trim() === '';
      form.classList.toggle('is-busy', inFlight);
    }

    async function submit() {
      const text = ta.value.trim();
      if (!text || inFlight || !enabled) return;
      inFlight = true;
      updateSend();
      const sentFor = target;
      const original = ta.value;
      try {
        await onSend(text);
        if (target === sentFor) {
          if (ta.value === original) ta.value = '';
        } else if (drafts.get(sentFor) === original) drafts.delete(sentFor);
        dismissedFor = null;
        hideError();
      } catch (err) {
        showError(err);
      } finally {
        inFlight = false;
        autosize();
        updateSend();
        renderSuggest();
      }
    }

    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    ta.addEventListener('input', () => {
      if (ta.value !== dismissedFor) dismissedFor = null;
      navigated = false;
      active = -1;
      autosize();
      updateSend();
      renderSuggest();
    });
    ta.addEventListener('focus', renderSuggest);
    ta.addEventListener('blur', () => setTimeout(renderSuggest, 0));
    ta.addEventListener('keydown', (e) => {
      const open = !list.hidden && matches.length > 0;
      if (e.isComposing || e.keyCode === 229) return;
      if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const n = matches.length;
        active = e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1);
        navigated = true;
        renderSuggest();
        return;
      }
      if (open && e.key === 'Tab' && !e.shiftKey) {
        const c = matches[active >= 0 ? active : 0];
        if (!ta.value.toLowerCase().startsWith(str(c.name).toLowerCase() + ' ')) {
          e.preventDefault();
          fill(c);
        }
        return;
      }
      if (open && e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        dismissedFor = ta.value;
        renderSuggest();
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        if (open && navigated && active >= 0 && !ta.value.toLowerCase().startsWith(str(matches[active].name).toLowerCase() + ' ')) {
          fill(matches[active]);
          return;
        }
        submit();
      }
    });

    updateSend();
    return {
      el: form,
      focus() { ta.focus(); },
      setPlaceholder(p) { if (ta.placeholder !== p) ta.placeholder = p; },
      saveDraft() { if (target != null) drafts.set(target, ta.value); },
      setTarget(t) {
        if (t === target) return;
        if (target != null) drafts.set(target, ta.value);
        target = t;
        ta.value = drafts.get(t) || '';
        dismissedFor = null;
        autosize();
        updateSend();
        renderSuggest();
      },
      setEnabled(on) {
        if (enabled === on) return;
        enabled = on;
        ta.disabled = !on;
        updateSend();
      },
    };
  }

  let mainComposer;
  let threadComposer;

  // ---------------------------------------------------------------- person switch

  function setMe(id, fromUser) {
    if (!person(id)) id = state.people.length ? state.people[0].id : null;
    if (id === state.me) return;
    state.me = id;
    try { if (fromUser) localStorage.setItem(LS_ME, id); } catch { /* storage may be off */ }
    state.pending.clear();
    closePalette(false);
    const dmLink = els.dmList.querySelector('.nav-item');
    if (dmLink) { dmLink.dataset.channel = myDm(); dmLink.href = routeHash(myDm(), null); }
    if (isDm(state.channel)) navigate(myDm(), null, true);
    else renderAll();
  }

  // ---------------------------------------------------------------- startup

  async function loadConfig() {
    const cfg = await api('GET', '/config');
    if (!cfg || typeof cfg !== 'object') throw new ApiError('The server sent no configuration.', 0);
    let people = Array.isArray(cfg.people) ? cfg.people : null;
    if (!people) {
      const p = await api('GET', '/people');
      people = Array.isArray(p) ? p : (p && Array.isArray(p.people) ? p.people : []);
    }
    state.config = cfg;
    state.people = people;
  }

  function showFatal(err) {
    els.chName.textContent = 'Could not start the local chat';
    els.chDesc.textContent = '';
    els.msgList.replaceChildren(h('div', { class: 'list-state' },
      h('p', { text: err.message || String(err) }),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, 'Reload')));
  }

  async function start() {
    Object.assign(els, {
      banner: $('banner'), bannerText: $('banner-text'), bannerClose: $('banner-close'),
      wsName: $('ws-name'), channelList: $('channel-list'), dmList: $('dm-list'), meSelect: $('me-select'),
      chName: $('ch-name'), chDesc: $('ch-desc'), conn: $('conn'), menuBtn: $('menu-btn'), scrim: $('scrim'),
      msgScroll: $('msg-scroll'), msgList: $('msg-list'), composerSlot: $('composer-slot'),
      thread: $('thread'), threadSub: $('thread-sub'), threadClose: $('thread-close'),
      threadScroll: $('thread-scroll'), threadList: $('thread-list'), threadComposerSlot: $('thread-composer-slot'),
    });
    els.bannerClose.addEventListener('click', hideError);
    els.threadClose.addEventListener('click', closeThread);
    els.thread.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !palette && !/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) {
        e.preventDefault();
        closeThread();
      }
    });
    const setSidebar = (open) => {
      document.body.classList.toggle('sidebar-open', open);
      els.scrim.hidden = !open;
      els.menuBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    els.menuBtn.addEventListener('click', () => setSidebar(!document.body.classList.contains('sidebar-open')));
    els.scrim.addEventListener('click', () => setSidebar(false));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && document.body.classList.contains('sidebar-open')) { setSidebar(false); els.menuBtn.focus(); }
    });
    els.channelList.addEventListener('click', () => setSidebar(false));
    els.dmList.addEventListener('click', () => setSidebar(false));
    els.msgScroll.addEventListener('scroll', positionPalette, { passive: true });
    els.threadScroll.addEventListener('scroll', positionPalette, { passive: true });
    window.addEventListener('resize', positionPalette);

    mainComposer = createComposer({
      id: 'main-composer', label: 'Message',
      onSend: (text) => postMessage({ channel: state.channel, rootId: null }, text),
    });
    threadComposer = createComposer({
      id: 'thread-composer', label: 'Reply in thread',
      onSend: (text) => postMessage({ channel: state.channel, rootId: state.threadId }, text),
    });
    threadComposer.setPlaceholder('Reply…');
    els.composerSlot.append(mainComposer.el);
    els.threadComposerSlot.append(threadComposer.el);

    setConn('connecting');
    try {
      await loadConfig();
    } catch (err) {
      setConn('offline');
      showFatal(err);
      return;
    }

    let stored = null;
    try { stored = localStorage.getItem(LS_ME); } catch { /* ignore */ }
    state.me = person(stored) ? stored : (state.people[0] ? state.people[0].id : null);
    buildSidebar();
    mainComposer.setEnabled(!!state.me);
    threadComposer.setEnabled(!!state.me);

    els.meSelect.addEventListener('change', () => setMe(els.meSelect.value, true));
    window.addEventListener('hashchange', applyRoute);
    applyRoute();
    connectEvents();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
