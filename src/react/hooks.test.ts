// @vitest-environment happy-dom
// The hooks in React 19 (react-dom in happy-dom), in StrictMode, over SteadySockets on fake WebSockets and fake timers.
import { createElement as h, useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SteadySocket } from '../socket';
import { fakeWebSocket } from '../testing/fake-websocket';
import { mount, step } from '../testing/react';
import { tick } from '../testing/setup';
import { useJsonChannel, useJsonMessage, useSocketEvent, useSocketState, useSteadySocket, type SocketState, type UseSteadySocketOptions } from './index';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const URL_A = 'ws://server.test/a';
const URL_B = 'ws://server.test/b';
type Url = string | null | (() => string);

/** Components that own (or share) a socket and record every socket they rendered with. */
function harness(options: UseSteadySocketOptions = {}) {
  const fake = fakeWebSocket();
  const rendered: (SteadySocket | null)[] = [];
  const mounts = { count: 0 };
  const base = { WebSocket: fake.WebSocket, lifecycle: [], random: () => 0, ...options };
  function Live(props: { url: Url; protocols?: string[]; options?: UseSteadySocketOptions }) {
    const socket = useSteadySocket(props.url, props.protocols, { ...base, ...props.options });
    rendered.push(socket);
    useEffect(() => void mounts.count++, []);
    return null;
  }
  /** The distinct SteadySockets rendered, in order (`sockets` are the fake native ones). */
  const instances = () => [...new Set(rendered.filter((s): s is SteadySocket => !!s))];
  return { ...fake, Live, rendered, instances, mounts };
}

describe('useSteadySocket', () => {
  it('StrictMode\'s double mount: one socket, one connection, never closed; the same instance across re-renders', async () => {
    const t = harness();
    const tree = await mount(h(t.Live, { url: URL_A }));
    expect(t.mounts.count).toBe(2); // StrictMode mounted, unmounted and mounted it again
    expect(t.rendered[0]).toBeNull(); // the first render has no socket yet
    await tick();
    expect(t.instances()).toHaveLength(1);
    expect(t.sockets).toHaveLength(1);
    expect(t.last().closeCalls).toEqual([]);
    expect(t.instances()[0]!.readyState).toBe(0);
    t.last().open();
    await tree.render(h(t.Live, { url: URL_A }));
    await tree.render(h(t.Live, { url: URL_A, options: { share: undefined } }));
    const first = t.rendered.findIndex((s) => s);
    expect(new Set(t.rendered.slice(first))).toEqual(new Set([t.instances()[0]]));
    await tick();
    expect(t.instances()).toHaveLength(1);
    expect(t.last().closeCalls).toEqual([]);
  });

  it('unmount closes the socket with 1000 a task later and leaves no timer', async () => {
    const t = harness({ heartbeat: true });
    const tree = await mount(h(t.Live, { url: URL_A }));
    await tick();
    t.last().open();
    await tree.unmount();
    expect(t.last().closeCalls).toEqual([]); // deferred by a task
    await tick();
    expect(t.last().closeCalls).toEqual([[1000, undefined]]);
    t.last().closed();
    expect(t.instances()[0]!.readyState).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a new URL or protocols: the old socket closes, one new socket connects to the new ones', async () => {
    const t = harness();
    const tree = await mount(h(t.Live, { url: URL_A }));
    await tick();
    await tree.render(h(t.Live, { url: URL_B }));
    await tick();
    expect(t.sockets.map((ws) => ws.url)).toEqual([URL_A, URL_B]);
    expect(t.sockets[0]!.closeCalls).toEqual([[1000, undefined]]);
    expect(t.rendered.at(-1)).toBe(t.instances()[1]);
    await tree.render(h(t.Live, { url: URL_B, protocols: ['v2'] }));
    await tick();
    expect(t.sockets.map((ws) => [ws.url, ws.protocols])).toEqual([[URL_A, undefined], [URL_B, undefined], [URL_B, ['v2']]]);
    await tree.render(h(t.Live, { url: URL_B, protocols: ['v2'] })); // a new array, the same value: nothing
    await tree.render(h(t.Live, { url: null })); // no URL: no socket
    await tick();
    expect(t.sockets).toHaveLength(3);
    expect(t.sockets[2]!.closeCalls).toEqual([[1000, undefined]]);
    expect(t.rendered.at(-1)).toBeNull();
  });

  it('an inline URL function does not reconnect on re-render; each attempt calls the latest one', async () => {
    const t = harness();
    const tree = await mount(h(t.Live, { url: () => `${URL_A}?v=1` }));
    await tick();
    await tree.render(h(t.Live, { url: () => `${URL_A}?v=2` }));
    await tick();
    expect(t.sockets.map((ws) => ws.url)).toEqual([`${URL_A}?v=1`]);
    t.last().drop();
    await tick(1000);
    expect(t.sockets.map((ws) => ws.url)).toEqual([`${URL_A}?v=1`, `${URL_A}?v=2`]);
    expect(t.instances()).toHaveLength(1);
  });

  it('options are read when the socket is made: a later change does not touch it', async () => {
    const t = harness();
    const tree = await mount(h(t.Live, { url: URL_A, options: { queue: { maxMessages: 1 } } }));
    await tree.render(h(t.Live, { url: URL_A, options: { queue: { maxMessages: 100 } } }));
    const socket = t.instances()[0]!;
    const drops: unknown[] = [];
    socket.addEventListener('drop', (e) => drops.push(e.data));
    socket.send('a');
    socket.send('b');
    expect(drops).toEqual(['a']); // still the first options' queue of one
    expect(t.instances()).toHaveLength(1);
  });

  it('three components sharing a name: one socket; closed a task after the last one unmounts', async () => {
    const t = harness({ share: 'live' });
    function Three(props: { count: number }) {
      return h('div', null, ...Array.from({ length: props.count }, (_, i) => h(t.Live, { key: i, url: URL_A })));
    }
    const tree = await mount(h(Three, { count: 3 }));
    await tick();
    expect(t.sockets).toHaveLength(1);
    expect(t.instances()).toHaveLength(1);
    await tree.render(h(Three, { count: 1 }));
    await tick();
    expect(t.last().closeCalls).toEqual([]);
    await tree.render(h(Three, { count: 0 }));
    await tick();
    expect(t.last().closeCalls).toEqual([[1000, undefined]]);
    // A different name, or no name, is another socket.
    await tree.render(h('div', null, h(t.Live, { url: URL_A, options: { share: 'other' } }), h(t.Live, { url: URL_A, options: { share: undefined } })));
    await tick();
    expect(t.sockets).toHaveLength(3);
  });
});

describe('useSocketState', () => {
  it('readyState, attempt, retryAtMs and closeCode through an open, a drop and a retry; one snapshot per change', async () => {
    vi.setSystemTime(1_000_000);
    const fake = fakeWebSocket();
    const states: SocketState[] = [];
    function View() {
      const socket = useSteadySocket(URL_A, undefined, { WebSocket: fake.WebSocket, lifecycle: [], random: () => 0 });
      states.push(useSocketState(socket));
      return null;
    }
    await mount(h(View));
    await tick();
    // The states rendered, each change once (the same values in a row are one).
    const distinct = () => states.filter((s, i) => i === 0 || JSON.stringify(s) !== JSON.stringify(states[i - 1])).map((s) => ({ ...s }));
    expect(distinct()).toEqual([{ readyState: 0, attempt: 0, retryAtMs: undefined, closeCode: undefined }]);
    await step(() => fake.last().open());
    await step(() => fake.last().serverClose(1011));
    const retryAtMs = Date.now() + 1000; // initialDelayMs 1000: decorrelated jitter with random() 0
    await step(() => tick(1000));
    expect(distinct()).toEqual([
      { readyState: 0, attempt: 0, retryAtMs: undefined, closeCode: undefined },
      { readyState: 1, attempt: 0, retryAtMs: undefined, closeCode: undefined },
      { readyState: 0, attempt: 1, retryAtMs, closeCode: 1011 }, // close and reconnect fire in one task: one render
      { readyState: 0, attempt: 1, retryAtMs: undefined, closeCode: 1011 },
    ]);
    // A render with no change since the last one gets the very same object.
    const last = states.at(-1);
    await step(() => fake.last().receive('no state change'));
    expect(states.at(-1)).toBe(last);
  });
});

describe('useSocketEvent and useJsonMessage', () => {
  it('1,000 messages in one burst reach the latest handler 1,000 times, in order, without a render per message', async () => {
    const fake = fakeWebSocket();
    const got: string[] = [];
    let renders = 0;
    let setTag: (tag: string) => void = () => {};
    function Feed() {
      const socket = useSteadySocket(URL_A, undefined, { WebSocket: fake.WebSocket, lifecycle: [] });
      const [tag, set] = useState('first');
      setTag = set;
      renders++;
      useSocketEvent(socket, 'message', (event) => got.push(`${tag}:${event.data}`));
      return null;
    }
    await mount(h(Feed));
    await tick();
    fake.last().open();
    const before = renders;
    await step(() => {
      for (let i = 1; i <= 1000; i++) fake.last().receive(`m${i}`);
    });
    expect(renders).toBe(before);
    await step(() => setTag('second'));
    await step(() => fake.last().receive('m1001'));
    expect(got).toEqual([...Array.from({ length: 1000 }, (_, i) => `first:m${i + 1}`), 'second:m1001']);
  });

  it('useJsonChannel: one channel per socket for two components, each message acked once; disposed with the socket', async () => {
    const fake = fakeWebSocket();
    const got: string[] = [];
    const channels = new Set<unknown>();
    type In = { chat: { text: string } };
    function Reader(props: { name: string }) {
      const socket = useSteadySocket(URL_A, undefined, { WebSocket: fake.WebSocket, lifecycle: [], share: 'chat' });
      const channel = useJsonChannel<In>(socket);
      if (channel) channels.add(channel);
      useJsonMessage(channel, 'chat', (data) => got.push(`${props.name}:${data.text}`));
      return null;
    }
    const tree = await mount(h('div', null, h(Reader, { name: 'a' }), h(Reader, { name: 'b' })));
    await tick();
    fake.last().open();
    await step(() => fake.last().receive(JSON.stringify({ type: 'chat', id: 'x1', ack: true, data: { text: 'hi' } })));
    expect(got).toEqual(['a:hi', 'b:hi']);
    expect(channels.size).toBe(1);
    expect(fake.last().sent.map(String)).toEqual([JSON.stringify({ type: 'ack', re: 'x1' })]);
    await tree.unmount();
    await tick();
    const [channel] = channels as Set<{ pendingCount: number; send(type: string, data: unknown, o: { ack: true }): Promise<string> }>;
    await expect(channel!.send('chat', { text: 'late' }, { ack: true })).rejects.toMatchObject({ code: 'CLOSED' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
