import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeRequests, successSampleRate } from './request-context.ts';

const app = new Hono()
  .use(observeRequests() as never)
  .get('/ok', (c) => c.text('ok'))
  .get('/bad', (c) => c.text('no', 422))
  .get('/boom', (c) => c.text('down', 503));

/** The log lines of `times` requests to `path` under `env`. */
async function logged(path: string, env: Record<string, string>, times = 1): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  const capture = (line: unknown) => void out.push(JSON.parse(String(line)));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  for (let i = 0; i < times; i++) await app.request(path, {}, env);
  vi.restoreAllMocks();
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('request log sampling (LOG_SUCCESS_SAMPLE)', () => {
  it('logs every request by default', async () => {
    const lines = await logged('/ok', {}, 5);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ msg: 'request', status: 200 });
    expect(lines[0]).not.toHaveProperty('sampleRate');
  });

  it('samples successful requests at the rate, marking the rate; never drops 4xx or 5xx', async () => {
    const none = await logged('/ok', { LOG_SUCCESS_SAMPLE: '0' }, 50);
    expect(none).toHaveLength(0);
    const some = await logged('/ok', { LOG_SUCCESS_SAMPLE: '0.5' }, 400);
    // Binomial(400, 0.5): outside 120..280 has probability far below 1e-15.
    expect(some.length).toBeGreaterThan(120);
    expect(some.length).toBeLessThan(280);
    expect(some.every((l) => l.sampleRate === 0.5)).toBe(true);
    for (const [path, status] of [['/bad', 422], ['/boom', 503]] as const) {
      const errors = await logged(path, { LOG_SUCCESS_SAMPLE: '0' }, 3);
      expect(errors.map((l) => l.status)).toEqual([status, status, status]);
      }
  });

  it('reads the rate defensively', () => {
    expect(successSampleRate(undefined)).toBe(1);
    expect(successSampleRate('')).toBe(1);
    expect(successSampleRate('abc')).toBe(1);
    expect(successSampleRate('0.01')).toBe(0.01);
    expect(successSampleRate('7')).toBe(1);
    expect(successSampleRate('-1')).toBe(0);
  });
});
