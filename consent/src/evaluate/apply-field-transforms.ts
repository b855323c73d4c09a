import type { Event } from '@sluice/protocol';
import type { FieldTransform } from './field-transform.ts';

/** Query parameters strip-query keeps by default: click ids (attribution) and campaign tags. */
export const DEFAULT_KEPT_QUERY_PARAMS: readonly string[] = [
  'gclid', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid', 'twclid', 'li_fat_id', 'epik',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
];

/** An event plus the request IP (`context.ip`), after minimization. Inputs are never mutated. */
export interface Minimized {
  event: Event;
  ip: string | undefined;
}

/**
 * Applies resolved field transforms: drop, SHA-256 hash (normalized for email and phone, so
 * adapters pass the digest through), IP prefix generalization, query stripping.
 * @example await applyFieldTransforms(event, '203.0.113.7', [{ path: 'context.ip', action: 'generalize', ipv4Prefix: 24, rule: 'fields.context.ip' }])
 */
/**
 * Results of value transforms of one request, keyed by transform and input: the events of a batch
 * share their page URL, referrer and IP, so each is rewritten once. Transforms are pure, so a memo
 * never changes a result; it must not outlive the request (it holds the inputs).
 */
export type TransformMemo = Map<string, Promise<unknown>>;

export async function applyFieldTransforms(event: Event, ip: string | undefined, transforms: FieldTransform[], memo?: TransformMemo): Promise<Minimized> {
  // Copy on write: only the objects on a transformed path are copied (shallowly), never the whole
  // event, so the cost does not grow with the size or depth of the event.
  const out = { ...event } as Event & Record<string, unknown>;
  const copies = new WeakSet<object>([out]);
  let outIp = ip;
  for (const t of transforms) {
    if (t.path === 'context.ip') {
      const given = outIp;
      outIp = given === undefined ? undefined : ((await memoized(memo, t, given, () => transformIp(given, t))) as string | undefined);
      continue;
    }
    const value = getPath(out, t.path);
    if (value === undefined) continue;
    const next = typeof value === 'string' ? await memoized(memo, t, value, () => transformValue(t, value)) : await transformValue(t, value);
    setPath(out, t.path, next, copies);
  }
  return { event: out, ip: outIp };
}

/** A transform's part of its memo keys, built once per transform object (policies are resolved once per isolate). */
const memoPrefixes = new WeakMap<FieldTransform, string>();

function memoized(memo: TransformMemo | undefined, t: FieldTransform, input: string, run: () => Promise<unknown>): Promise<unknown> {
  if (!memo) return run();
  let prefix = memoPrefixes.get(t);
  if (prefix === undefined) memoPrefixes.set(t, (prefix = `${t.action}\u0000${t.path}\u0000${t.ipv4Prefix ?? ''}/${t.ipv6Prefix ?? ''}\u0000${t.keep?.join(',') ?? ''}\u0000`));
  const key = prefix + input;
  let hit = memo.get(key);
  if (!hit) memo.set(key, (hit = run()));
  return hit;
}

async function transformIp(ip: string, t: FieldTransform): Promise<string | undefined> {
  if (t.action === 'drop') return undefined;
  if (t.action === 'hash') return sha256Hex(ip);
  if (t.action === 'generalize') return generalizeIp(ip, t.ipv4Prefix ?? 24, t.ipv6Prefix ?? 48);
  return ip;
}

async function transformValue(t: FieldTransform, value: unknown): Promise<unknown> {
  switch (t.action) {
    case 'drop':
      return undefined;
    case 'hash':
      return sha256Hex(normalizeFor(t.path, typeof value === 'string' ? value : JSON.stringify(value)));
    case 'strip-query':
      return typeof value === 'string' ? stripQuery(value, t.keep ?? DEFAULT_KEPT_QUERY_PARAMS) : undefined;
    default:
      return value;
  }
}

function normalizeFor(path: string, value: string): string {
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  if (path === 'user.email') return value.trim().toLowerCase();
  if (path === 'user.phone') return value.replace(/\D/g, '').replace(/^0+/, '');
  return value.trim();
}

/**
 * Keeps only the listed query parameters and drops the fragment (fragments carry tokens too).
 * An unparsable URL is dropped rather than forwarded.
 */
export function stripQuery(url: string, keep: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const kept = new URLSearchParams();
  for (const [name, value] of parsed.searchParams) if (keep.includes(name)) kept.append(name, value);
  parsed.search = kept.toString();
  parsed.hash = '';
  return parsed.toString();
}

/** Zeroes all bits after the prefix: 203.0.113.7/24 → 203.0.113.0; IPv6 written uncompressed. Garbage → undefined. */
export function generalizeIp(ip: string, v4Prefix: number, v6Prefix: number): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const octets = ip.split('.').map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return octets.map((o, i) => o & maskByte(v4Prefix - i * 8)).join('.');
  }
  const groups = expandIpv6(ip);
  if (!groups) return undefined;
  return groups.map((g, i) => (g & maskWord(v6Prefix - i * 16)).toString(16)).join(':');
}

function maskByte(bits: number): number {
  return bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
}

function maskWord(bits: number): number {
  return bits >= 16 ? 0xffff : bits <= 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
}

function expandIpv6(ip: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split('::').length > 2) return undefined;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return all.map((g) => parseInt(g, 16));
}

function getPath(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets a value under `root`, copying each object on the way that is not one of `copies` yet (the input stays untouched). */
function setPath(root: Record<string, unknown>, path: string, value: unknown, copies: WeakSet<object>): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = root;
  for (const key of keys) {
    const child = node[key] as Record<string, unknown>;
    if (copies.has(child)) node = child;
    else {
      const copy = Array.isArray(child) ? ([...child] as unknown as Record<string, unknown>) : { ...child };
      copies.add(copy);
      node[key] = copy;
      node = copy;
    }
  }
  if (value === undefined) delete node[last];
  else node[last] = value;
}

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
