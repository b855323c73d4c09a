/**
 * A bounded in-isolate cache: least recently used entries go first once `max` is reached, and each
 * entry expires after its own TTL. A `Map` keeps insertion order, so re-inserting on a hit makes the
 * first key the least recently used.
 * @example const cache = new LruTtlCache<string>(1000); cache.set('k', 'v', 30_000); cache.get('k')
 */
export class LruTtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();

  constructor(readonly max: number) {}

  /** The live value, or `undefined` when absent or expired. */
  get(key: string, now = Date.now()): { value: V } | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    if (hit.expires <= now) return undefined;
    this.#entries.set(key, hit);
    return { value: hit.value };
  }

  set(key: string, value: V, ttlMs: number, now = Date.now()): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: now + ttlMs });
    while (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
