/**
 * The ids of the last `size` inbound messages, oldest evicted first, each with the encoded answer
 * sent for it (if any) so that a re-sent request can be answered again without running twice.
 * A `Map` keeps insertion order, so eviction is O(1).
 */
export class IdWindow {
  readonly #ids = new Map<string, string | undefined>();
  readonly #size: number;

  /** @param size most ids remembered; 0 remembers none (no dedupe). */
  constructor(size: number) {
    this.#size = Math.max(0, Math.floor(size));
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Remembers `id`, forgetting the oldest one when over size. */
  add(id: string): void {
    this.#ids.set(id, undefined);
    if (this.#ids.size > this.#size) this.#ids.delete(this.#ids.keys().next().value!);
  }

  /** The answer sent for `id`, if it is remembered and was answered. */
  answer(id: string): string | undefined {
    return this.#ids.get(id);
  }

  /** Records the answer sent for `id` (if `id` is still remembered; its place in line is kept). */
  setAnswer(id: string, frame: string): void {
    if (this.#ids.has(id)) this.#ids.set(id, frame);
  }

  clear(): void {
    this.#ids.clear();
  }
}
