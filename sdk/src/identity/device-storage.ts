/**
 * localStorage and first-party cookies, used only while storage is allowed. Every access is
 * guarded: storage can throw (Safari private mode, disabled cookies, sandboxed iframes).
 */
let allowed = false;

export function setStorageAllowed(value: boolean): void {
  allowed = value;
}

export function storageAllowed(): boolean {
  return allowed;
}

export function readLocal<T>(key: string): T | undefined {
  try {
    const raw = allowed ? localStorage.getItem(key) : null;
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeLocal(key: string, value: unknown): void {
  try {
    if (allowed) localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // quota or disabled storage: the value lives in memory for this page
  }
}

export function removeLocal(keys: string[]): void {
  try {
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // nothing stored, nothing to remove
  }
}

export function readCookie(name: string): string | undefined {
  try {
    const match = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
    return match ? decodeURIComponent(match[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a cookie on the page's host (script-set cookies are capped at 7 days in Safari: ITP). */
export function writeCookie(name: string, value: string, maxAgeSeconds: number): void {
  try {
    if (allowed) document.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${maxAgeSeconds}; Path=/; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
  } catch {
    // cookies disabled
  }
}
