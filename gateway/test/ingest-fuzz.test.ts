import { SELF } from 'cloudflare:test';
import { beforeAll, expect, it } from 'vitest';
import { batchOf, post, seedSite, trackEvent } from './fixtures.ts';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD: unknown[] = [
  null, true, 0, -1, 1e308, NaN, '', ' ', '\u0000', '\ud800', 'x'.repeat(10_000), [], {}, [[[]]],
  { __proto__: { polluted: 1 } }, { constructor: { prototype: { x: 1 } } }, '2026-13-45T99:99:99Z', '<script>', '../../etc',
];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  if (depth > 4 || random() < 0.15) return pick(WEIRD);
  if (Array.isArray(value)) return value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = random();
      if (r < 0.1) continue; // drop a field
      out[r < 0.15 ? `${k}_x` : k] = r < 0.4 ? mutate(v, random, depth + 1) : v;
    }
    if (random() < 0.1) out[pick(['extra', 'type', 'events', 'eventId'])] = pick(WEIRD);
    return out;
  }
  return random() < 0.5 ? pick(WEIRD) : value;
}

function corruptText(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  const ops = [
    () => text.slice(0, at),
    () => text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0xffff)) + text.slice(at),
    () => text.replace(/"/g, "'"),
    () => text + text,
  ];
  return ops[Math.floor(random() * ops.length)]!();
}

const ALLOWED = new Set([200, 400, 401, 403, 413, 415, 422]);

beforeAll(() => seedSite());

it('never answers 500 (or anything unexpected) to 400 mutated batches, and always explains errors', { timeout: 60_000 }, async () => {
  const random = rng(20261128);
  for (let i = 0; i < 400; i++) {
    const valid = batchOf([trackEvent(), trackEvent({ type: 'page', event: undefined })]);
    const body = i % 4 === 3 ? corruptText(JSON.stringify(valid), random) : JSON.stringify(mutate(valid, random));
    const response = await SELF.fetch(post(body));
    const text = await response.text();
    expect(ALLOWED.has(response.status), `case ${i}: ${response.status} ${text.slice(0, 200)}`).toBe(true);
    const json = JSON.parse(text);
    if (response.status !== 200) {
      expect(typeof json.error.code, `case ${i}`).toBe('string');
      expect(typeof json.error.message, `case ${i}`).toBe('string');
    }
  }
});
