// The chat: sign in with a name, the room's lines, who is here, and a composer whose messages are sent acked
// (kept and re-sent after a reconnect until the server confirms them). Modelled on MDN's WebSocket chat example.
import { JsonChannelError } from 'steadysocket/json';
import type { Dashboard } from './dashboard';
import { $, clock, el } from './dom';
import type { Channel, Resume } from './net';
import { LIMITS, type Line, type User } from './protocol';

export function createChat(channel: Channel, resume: Resume, dashboard: Dashboard): void {
  const signin = $<HTMLFormElement>('signin');
  const nameInput = $<HTMLInputElement>('name');
  const signinError = $('signin-error');
  const room = $('room');
  const list = $<HTMLOListElement>('messages');
  const users = $<HTMLUListElement>('users');
  const composer = $<HTMLFormElement>('composer');
  const text = $<HTMLInputElement>('text');
  /** My messages not yet seen in the room, by their cid: shown greyed until the server's broadcast replaces them. */
  const pending = new Map<string, HTMLLIElement>();
  const idPrefix = Math.random().toString(36).slice(2, 10);
  let nextId = 0;
  let me = '';

  nameInput.maxLength = LIMITS.nameLength;
  text.maxLength = LIMITS.textLength;

  function show(signedIn: boolean): void {
    signin.hidden = signedIn;
    room.hidden = !signedIn;
    (signedIn ? text : nameInput).focus();
  }

  function fill(item: HTMLLIElement, line: Pick<Line, 't' | 'from' | 'text'>, status: string): void {
    item.replaceChildren(
      el('time', '', clock(line.t)),
      el('span', 'from', line.from ?? ''),
      el('span', 'text', line.text),
      el('span', 'status', status),
    );
  }

  /** Every line, live or caught up after a reconnect; the server may repeat lines the page already has. */
  function render(line: Line): void {
    if (line.seq <= resume.lastSeq) return;
    resume.lastSeq = line.seq;
    const mine = line.cid !== undefined ? pending.get(line.cid) : undefined;
    if (mine) pending.delete(line.cid!);
    const item = mine ?? el('li');
    item.className = `line ${line.kind}${line.from === me ? ' mine' : ''}`;
    item.dataset.seq = String(line.seq);
    if (line.kind === 'system') item.replaceChildren(el('time', '', clock(line.t)), el('span', 'text', line.text));
    else fill(item, line, line.from === me ? '✓' : '');
    list.append(item); // moves a pending item of mine to where the server put it in the room's order
    list.scrollTop = list.scrollHeight;
  }

  function renderUsers(all: User[]): void {
    users.replaceChildren(...all.map((u) => {
      const item = el('li', u.online ? 'online' : 'away', u.name);
      if (u.name === me) item.append(el('span', 'you', ' (you)'));
      if (!u.online) item.append(el('span', 'note', ' reconnecting…'));
      return item;
    }));
  }

  channel.on('line', render);
  channel.on('presence', (data) => renderUsers(data.users));
  channel.on('notice', (data) => dashboard.log('notice', `${data.code}: ${data.text}`));
  channel.on('session', (data) => {
    // The server no longer knows us (it forgot the session): sign in again, keeping the name.
    dashboard.log('session', `session ${data.reason}: sign in again`);
    resume.session = undefined;
    nameInput.value = me;
    signinError.textContent = 'Your session expired while you were away. Sign in again.';
    show(false);
  });

  signin.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    signinError.textContent = '';
    const button = signin.querySelector('button')!;
    button.disabled = true;
    try {
      const reply = await channel.request('join', { name }, { timeoutMs: 15_000 });
      me = reply.name;
      resume.session = reply.session;
      list.replaceChildren();
      resume.lastSeq = 0;
      reply.history.forEach(render);
      $('me').textContent = me;
      show(true);
    } catch (error) {
      signinError.textContent = reason(error);
    } finally {
      button.disabled = false;
    }
  });

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = text.value;
    if (!value.trim()) return;
    text.value = '';
    const cid = `${idPrefix}-${++nextId}`;
    const item = el('li', 'line chat mine pending');
    fill(item, { t: Date.now(), from: me, text: value }, 'sending…');
    pending.set(cid, item);
    list.append(item);
    list.scrollTop = list.scrollHeight;
    channel.send('chat', { text: value, cid }, { ack: true }).then(
      () => {
        dashboard.count('acks');
        if (pending.has(cid)) item.querySelector('.status')!.textContent = 'acked';
      },
      (error) => {
        pending.delete(cid);
        item.classList.replace('pending', 'failed');
        item.querySelector('.status')!.textContent = `not sent: ${reason(error)}`;
      },
    );
  });

  show(false);
}

/** A sentence for the user out of a JsonChannel rejection. */
function reason(error: unknown): string {
  if (error instanceof JsonChannelError) {
    if (error.code === 'REMOTE' && error.remote) return error.remote.message;
    if (error.code === 'TIMEOUT') return 'no answer from the server; try again';
    if (error.code === 'CLOSED') return 'the connection is closed for good; press Reconnect';
  }
  return String((error as Error)?.message ?? error);
}
