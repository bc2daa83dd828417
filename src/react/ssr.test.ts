// Server rendering: the hooks never make a socket (nor a timer) and render the stable initial state. Node, no DOM.
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWebSocket } from '../testing/fake-websocket';
import { INITIAL_STATE, useJsonChannel, useJsonMessage, useSocketEvent, useSocketState, useSteadySocket } from './index';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('server rendering', () => {
  it('makes no socket, starts no timer, and renders the initial state (the same object every time)', () => {
    const fake = fakeWebSocket();
    const seen: unknown[] = [];
    function Live(props: { share?: string }) {
      const socket = useSteadySocket('ws://server.test/live', undefined, { WebSocket: fake.WebSocket, share: props.share });
      const state = useSocketState(socket);
      const channel = useJsonChannel(socket);
      useSocketEvent(socket, 'message', () => {});
      useJsonMessage(channel, 'chat', () => {});
      seen.push(socket, channel, state);
      return h('p', null, `state ${state.readyState}, attempt ${state.attempt}`);
    }
    const html = renderToString(h('div', null, h(Live), h(Live, { share: 'room' })));
    expect(html).toBe('<div><p>state 0, attempt 0</p><p>state 0, attempt 0</p></div>');
    expect(fake.sockets).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(seen).toEqual([null, null, INITIAL_STATE, null, null, INITIAL_STATE]);
    expect(seen[2]).toBe(INITIAL_STATE);
    expect(Object.isFrozen(INITIAL_STATE)).toBe(true);
  });
});
