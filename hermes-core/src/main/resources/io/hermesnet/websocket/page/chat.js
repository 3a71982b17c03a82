// HermesNet chat page (docs/protocol.md §6.3). Plain JavaScript, no library. Every text from the wire is
// put on the page with textContent, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $('status'), room: $('room'), turn: $('turn'), me: $('me'), chat: $('chat'), join: $('join'),
    joinForm: $('join-form'), name: $('name'), joinError: $('join-error'), messages: $('messages'),
    members: $('members'), count: $('count'), compose: $('compose'), input: $('input'),
  };
  const NAME = /^[A-Za-z0-9_-]{1,32}$/;
  const started = Date.now();
  const state = {
    ws: null, wanted: null, me: { id: null, name: null, rank: null }, members: new Map(),
    who: null, room: null, pendingNick: false, bye: null, full: false, attempts: 0, timer: null, stop: false,
  };

  // ---------------------------------------------------------------- rendering (textContent only)

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clock(d) {
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  /** One entry in the message list: kind is mine, msg, dm, dm-out, system or error. */
  function show(kind, sender, text) {
    const li = el('li', 'msg');
    li.dataset.kind = kind;
    const now = new Date();
    const time = el('time', 'time', clock(now));
    time.dateTime = now.toISOString();
    li.append(time);
    if (sender) li.append(el('span', 'sender', sender));
    li.append(el('span', 'text', text));
    const log = ui.messages.parentElement;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    ui.messages.append(li);
    while (ui.messages.childElementCount > 1000) ui.messages.firstElementChild.remove();
    if (atBottom || kind === 'mine') li.scrollIntoView({ block: 'end' });
  }

  const system = (text) => show('system', null, text);
  const failure = (text) => show('error', null, text);

  function renderMembers() {
    const list = [...state.members.values()].sort((a, b) => a.rank - b.rank);
    ui.members.replaceChildren(...list.map((m) => {
      const li = el('li');
      li.dataset.id = m.id;
      if (m.id === state.me.id) li.dataset.me = '';
      li.append(el('span', 'rank', '#' + m.rank), el('span', 'name', m.name + (m.id === state.me.id ? ' (you)' : '')));
      return li;
    }));
    ui.count.textContent = '(' + list.length + ')';
  }

  function renderRoom() {
    if (!state.room) return;
    ui.room.hidden = false;
    ui.room.textContent = 'room ' + state.room.id + ': '
      + (state.room.names ? state.room.names.join(', ') : 'waiting for members');
  }

  function renderMe() {
    ui.me.textContent = state.me.name === null ? '' : state.me.name + ' · rank ' + state.me.rank;
  }

  function setStatus(s, text) {
    ui.status.dataset.state = s;
    ui.status.textContent = text;
  }

  // ---------------------------------------------------------------- EXEC built-ins (as hermes-client's)

  const BUILTINS = {
    echo: (args) => args,
    help: () => 'commands: ' + Object.keys(BUILTINS).sort().join(' '),
    rank: () => (state.me.rank === null ? 'unknown' : String(state.me.rank)),
    time: () => isoOffset(new Date()),
    uptime: () => 'up ' + duration(Math.floor((Date.now() - started) / 1000)),
    whoami: () => state.me.name || 'unknown',
  };

  function isoOffset(d) {
    const p = (n) => String(n).padStart(2, '0');
    const off = -d.getTimezoneOffset();
    const zone = off === 0 ? 'Z' : (off > 0 ? '+' : '-') + p(Math.floor(Math.abs(off) / 60)) + ':' + p(Math.abs(off) % 60);
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':'
      + p(d.getMinutes()) + ':' + p(d.getSeconds()) + zone;
  }

  function duration(s) {
    const days = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
    let out = '';
    if (days > 0) out += days + 'd ';
    if (days > 0 || h > 0) out += h + 'h ';
    if (days > 0 || h > 0 || m > 0) out += m + 'm ';
    return out + (s % 60) + 's';
  }

  /** One result line: line breaks as " | ", no control characters, at most 4000 UTF-8 bytes. */
  function oneLine(text) {
    let s = String(text).trim().replace(/\r\n?|\n/g, ' | ').replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '');
    const enc = new TextEncoder();
    if (enc.encode(s).length <= 4000) return s;
    let used = 0, out = '';
    for (const ch of s) {
      const n = enc.encode(ch).length;
      if (used + n > 4000 - 3) break;
      used += n;
      out += ch;
    }
    return out + '…';
  }

  function answer(command) {
    const line = command.trim();
    const word = line.split(/\s/, 1)[0];
    const args = line.slice(word.length).trim();
    if (!word) return oneLine('empty command; try help');
    const run = NAME.test(word) ? BUILTINS[word.toLowerCase()] : undefined;
    if (!run) {
      const shown = word.length <= 32 ? word : word.slice(0, 32) + '…';
      return oneLine('unknown command: ' + shown + ' (known: ' + Object.keys(BUILTINS).sort().join(' ') + ')');
    }
    return oneLine(run(args));
  }

  // ---------------------------------------------------------------- the wire

  function send(line) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(line);
      return true;
    }
    failure('not connected: the line was not sent');
    return false;
  }

  function nick(name) {
    state.pendingNick = true;
    send('/nick ' + name);
  }

  function words(line, n) {
    // the first n space-separated fields, then the rest of the line (free text, spaces kept)
    const out = [];
    let i = 0;
    for (let k = 0; k < n; k++) {
      const j = line.indexOf(' ', i);
      if (j < 0) { out.push(line.slice(i)); i = line.length; continue; }
      out.push(line.slice(i, j));
      i = j + 1;
    }
    out.push(line.slice(i));
    return out;
  }

  function leaveRank(id) {
    const gone = state.members.get(id);
    if (!gone) return;
    state.members.delete(id);
    for (const m of state.members.values()) if (m.rank > gone.rank) m.rank--;
  }

  function onLine(line) {
    const word = line.split(' ', 1)[0];
    let f;
    switch (word) {
      case 'WELCOME':
        f = words(line, 4);
        state.me = { id: f[1], name: f[2], rank: Number(f[3]) };
        state.attempts = 0;
        setStatus('online', 'online');
        state.members = new Map([[f[1], { id: f[1], name: f[2], rank: Number(f[3]) }]]);
        renderMe();
        renderMembers();
        system(f[4] || 'Welcome');
        if (state.wanted && state.wanted !== state.me.name) nick(state.wanted);
        state.who = new Map();
        send('/who');
        break;
      case 'ID':
        break;
      case 'CLIENTS':
        ui.count.textContent = '(' + words(line, 1)[1] + ')';
        break;
      case 'JOIN':
        f = words(line, 2);
        state.members.set(f[1], { id: f[1], name: f[2], rank: state.members.size });
        renderMembers();
        system(f[2] + ' joined');
        break;
      case 'LEAVE':
        f = words(line, 3);
        leaveRank(f[1]);
        renderMembers();
        system(f[2] + ' left (' + f[3] + ')');
        break;
      case 'MSG':
        f = words(line, 3);
        show('msg', f[2], f[3]);
        break;
      case 'DM':
        f = words(line, 3);
        show('dm', f[2] + ' (private)', f[3]);
        break;
      case 'ECHO':
        break; // already shown when sent
      case 'RANK':
        state.me.rank = Number(words(line, 1)[1]);
        if (state.members.has(state.me.id)) state.members.get(state.me.id).rank = state.me.rank;
        renderMe();
        renderMembers();
        break;
      case 'NAME':
        state.pendingNick = false;
        f = state.me.name;
        state.me.name = words(line, 1)[1];
        if (state.members.has(state.me.id)) state.members.get(state.me.id).name = state.me.name;
        if (state.room && state.room.names) state.room.names = state.room.names.map((n) => (n === f ? state.me.name : n));
        renderRoom();
        state.wanted = state.me.name;
        renderMe();
        renderMembers();
        system('You are ' + state.me.name);
        break;
      case 'RENAME':
        f = words(line, 3);
        if (state.members.has(f[1])) state.members.get(f[1]).name = f[3];
        if (state.room && state.room.names) state.room.names = state.room.names.map((n) => (n === f[2] ? f[3] : n));
        renderMembers();
        renderRoom();
        system(f[2] + ' is now ' + f[3]);
        break;
      case 'WHO':
        f = words(line, 5);
        if (state.who) state.who.set(f[1], { id: f[1], name: f[2], rank: Number(f[3]) });
        else system('who: #' + f[3] + ' ' + f[2] + (f[4] !== '-' ? ' room ' + f[4] : '') + ' ' + f[5]);
        break;
      case 'END':
        f = words(line, 2);
        if (f[1] === 'WHO' && state.who) {
          state.members = state.who;
          state.who = null;
          const mine = state.members.get(state.me.id);
          if (mine) { state.me.rank = mine.rank; state.me.name = state.pendingNick ? state.me.name : mine.name; }
          renderMe();
          renderMembers();
        } else if (f[1] === 'WHO') {
          system(f[2] + ' online');
        }
        break;
      case 'EXEC': {
        f = words(line, 4);
        const result = answer(f[4]);
        send('/result ' + f[1] + ' ' + result);
        system(f[3] + ' (rank ' + f[2] + ') ran "' + f[4] + '" here: ' + result);
        break;
      }
      case 'OK':
        f = words(line, 4);
        system('exec ' + f[2] + ' sent to ' + f[4] + ' (rank ' + f[3] + ')');
        break;
      case 'RESULT':
        f = words(line, 3);
        system(f[2] + ' answered exec ' + f[1] + ': ' + f[3]);
        break;
      case 'ROOM':
        f = words(line, 2);
        state.room = f[2] === 'WAITING' ? { id: f[1], names: null }
          : { id: f[1], names: f[2].replace(/^READY ?/, '').split(' ').filter(Boolean) };
        if (!state.room.names) ui.turn.hidden = true;
        renderRoom();
        system(ui.room.textContent);
        break;
      case 'TURN': {
        const write = words(line, 1)[1] === 'WRITE';
        ui.turn.hidden = false;
        ui.turn.dataset.turn = write ? 'write' : 'read';
        ui.turn.textContent = write ? 'your turn to write' : 'waiting for your turn';
        break;
      }
      case 'HELP':
        f = words(line, 2);
        system(f[1] + ' — ' + f[2]);
        break;
      case 'ERROR':
        f = words(line, 2);
        if (state.pendingNick && (f[1] === 'NAME_TAKEN' || f[1] === 'BAD_ARGS')) {
          state.pendingNick = false;
          state.wanted = null;
          askName(f[1] === 'NAME_TAKEN' ? 'That name is taken; pick another.' : 'Names are 1–32 letters, digits, _ or -.');
        }
        if (f[1] === 'FULL') state.full = true;
        failure(f[1] + ' ' + f[2]);
        break;
      case 'BYE':
        system('Server: ' + words(line, 1)[1]);
        state.bye = words(line, 1)[1];
        break;
      default:
        system(line);
    }
  }

  function connect() {
    clearTimeout(state.timer);
    state.bye = null;
    state.full = false;
    setStatus('connecting', 'connecting…');
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    ws.onmessage = (e) => { if (typeof e.data === 'string') onLine(e.data); };
    ws.onclose = (e) => {
      if (state.ws !== ws) return;
      state.ws = null;
      ui.turn.hidden = true;
      if (state.stop || state.bye === 'Goodbye' || state.bye === 'Idle timeout') {
        setStatus('offline', 'offline');
        system('Disconnected. Reload the page to join again.');
        return;
      }
      // backoff: 0.5 s, 1 s, 2 s … up to 30 s, with jitter so a restarted server is not hit at once
      const delay = Math.min(30000, 500 * 2 ** state.attempts) * (0.75 + Math.random() / 2);
      state.attempts = Math.min(state.attempts + 1, 10);
      setStatus('offline', 'reconnecting in ' + Math.ceil(delay / 1000) + ' s');
      if (!state.full) system('Connection lost' + (e.code ? ' (' + e.code + ')' : '') + '; reconnecting…');
      state.timer = setTimeout(connect, delay);
    };
  }

  // ---------------------------------------------------------------- the forms

  function askName(problem) {
    ui.joinError.textContent = problem || '';
    ui.joinError.hidden = !problem;
    ui.join.hidden = false;
    ui.name.focus();
  }

  ui.joinForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = ui.name.value.trim();
    if (!NAME.test(name)) {
      askName('Names are 1–32 letters, digits, _ or -.');
      return;
    }
    start(name);
  });

  function start(name) {
    state.wanted = name;
    ui.join.hidden = true;
    ui.chat.hidden = false;
    ui.input.focus();
    if (state.ws && state.ws.readyState === WebSocket.OPEN) nick(name);
    else if (!state.ws) connect();
  }

  ui.compose.addEventListener('submit', (e) => {
    e.preventDefault();
    const line = ui.input.value;
    if (!line.trim()) return;
    if (line.startsWith('/')) {
      const [verb, ...rest] = line.slice(1).split(' ');
      const v = verb.toLowerCase();
      if (v === 'logout' || v === 'quit') state.stop = true;
      if (v === 'nick') state.pendingNick = true;
      if (v === 'who') state.who = null; // shown as lines, not taken into the member list
      if (!send(line)) return;
      if (v === 'msg' && rest.length > 1) show('dm-out', 'to ' + rest[0] + ' (private)', rest.slice(1).join(' '));
    } else {
      if (!send(line)) return;
      show('mine', state.me.name, line);
    }
    ui.input.value = '';
  });

  const fromUrl = new URLSearchParams(location.search).get('name');
  if (fromUrl && NAME.test(fromUrl)) {
    ui.name.value = fromUrl;
    start(fromUrl);
  } else {
    askName(fromUrl ? 'Names are 1–32 letters, digits, _ or -.' : null);
  }
}());
