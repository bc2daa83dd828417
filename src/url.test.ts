import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkProtocols, toWebSocketUrl } from './url';

afterEach(() => vi.unstubAllGlobals());

describe('toWebSocketUrl', () => {
  it('keeps ws and wss URLs and maps http(s) to ws(s)', () => {
    expect(toWebSocketUrl('ws://a.test/x?y=1')).toBe('ws://a.test/x?y=1');
    expect(toWebSocketUrl(new URL('wss://a.test'))).toBe('wss://a.test/');
    expect(toWebSocketUrl('http://a.test:8080/p')).toBe('ws://a.test:8080/p');
    expect(toWebSocketUrl('https://a.test/p')).toBe('wss://a.test/p');
  });

  it('resolves a relative URL against location when there is one', () => {
    vi.stubGlobal('location', { href: 'https://app.test/chat/room' });
    expect(toWebSocketUrl('/live')).toBe('wss://app.test/live');
    expect(toWebSocketUrl('socket')).toBe('wss://app.test/chat/socket');
  });

  it.each(['ws://a.test/p#frag', 'ws://a.test/p#', '#test'])('throws a SyntaxError for a URL with a fragment (%s), like the native constructor', (input) => {
    vi.stubGlobal('location', { href: 'https://app.test/chat/room' });
    expect(() => toWebSocketUrl(input)).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });

  it.each(['not a url', '/relative-without-location', 'ftp://a.test', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'throws a SyntaxError DOMException for %s',
    (input) => {
      expect(() => toWebSocketUrl(input)).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
      expect(() => toWebSocketUrl(input)).toThrow(DOMException);
    },
  );
});

describe('checkProtocols', () => {
  it('accepts tokens', () => {
    expect(() => checkProtocols(undefined)).not.toThrow();
    expect(() => checkProtocols('chat')).not.toThrow();
    expect(() => checkProtocols(['v1.chat', 'v2.chat+json'])).not.toThrow();
  });

  it.each([[''], ['a b'], [['x', 'x']], [['é']]])('throws a SyntaxError for %j', (p) => {
    expect(() => checkProtocols(p as string | string[])).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });
});
