// The project's unit tests script the network with the public test kit (steadysocket/testing): a server whose
// handshakes the test accepts by hand (`open()`), under the names these tests have always used.
import { createTestServer, TestConnection } from '../testkit/index';

export { TestConnection as FakeSocket };

/** A fresh `WebSocket` constructor whose instances are recorded in `sockets`, newest last; nothing opens by itself. */
export function fakeWebSocket() {
  const server = createTestServer({ accept: false });
  return { WebSocket: server.WebSocket, sockets: server.connections as TestConnection[], last: () => server.last(), server };
}
