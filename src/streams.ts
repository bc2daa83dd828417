import type { SendData } from './bytes';
import { CLOSED } from './state';

/** The part of a `SteadySocket` the streams use. */
interface StreamHost extends EventTarget {
  readonly readyState: number;
  send(data: SendData): boolean;
  drained(): Promise<void>;
}

/**
 * A stream of the data of every `message` event, across reconnects. It ends when the socket
 * closes for good (`close()` or giving up); cancelling it only stops the stream.
 */
export function messageStream<T>(socket: StreamHost): ReadableStream<T> {
  let onMessage: (e: Event) => void;
  let onClose: () => void;
  const stop = () => {
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('close', onClose);
  };
  return new ReadableStream<T>({
    start(controller) {
      socket.addEventListener('message', (onMessage = (e) => controller.enqueue((e as MessageEvent).data)));
      socket.addEventListener('close', (onClose = () => {
        if (socket.readyState === CLOSED) {
          stop();
          controller.close();
        }
      }));
    },
    cancel: stop,
  });
}

/**
 * A sink that sends each chunk, and makes the writer wait (`await writer.write()`, `pipeTo`)
 * while the socket's buffer is over its high-water mark. Closing it waits for the buffer to
 * drain and leaves the socket open.
 */
export function sendStream(socket: StreamHost): WritableStream<SendData> {
  return new WritableStream<SendData>({
    write: (chunk) => (socket.send(chunk) ? undefined : socket.drained()),
    close: () => socket.drained(),
  });
}
