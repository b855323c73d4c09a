/**
 * Runs `fn` while holding a lock shared by every tab of the origin (Web Locks API), so two tabs
 * never send the same persisted events. Without Web Locks (very old browsers) it runs unlocked:
 * the gateway drops repeated event ids anyway.
 */
export function withFlushLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(name, fn) as Promise<T>) : fn();
}
