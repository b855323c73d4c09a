import { SELF, env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES } from '@sluice/protocol';
import { ORIGIN, WRITE_KEY, batchOf, post, seedSite, trackEvent } from './fixtures.ts';

beforeEach(() => seedSite());

async function json(response: Response) {
  return (await response.json()) as Record<string, any>;
}

describe('POST /v1/batch', () => {
  it('answers health checks', async () => {
    const response = await SELF.fetch('https://gw.example/healthz');
    expect(response.status).toBe(200);
  });

  it('rejects a missing write key with 401', async () => {
    const response = await SELF.fetch(post(batchOf([trackEvent()]), { key: null }));
    expect(response.status).toBe(401);
    expect((await json(response)).error.code).toBe('missing_write_key');
  });

  it('rejects an unknown write key with 401', async () => {
    const response = await SELF.fetch(post(batchOf([trackEvent()]), { key: 'nope_nope_nope' }));
    expect(response.status).toBe(401);
    expect((await json(response)).error.code).toBe('unknown_write_key');
  });

  it('rejects a foreign or missing origin with 403 and no CORS grant', async () => {
    for (const origin of ['https://evil.example', null]) {
      const response = await SELF.fetch(post(batchOf([trackEvent()]), { origin }));
      expect(response.status).toBe(403);
      expect((await json(response)).error.code).toBe('origin_not_allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers preflights for allowed origins only', async () => {
    const ask = (origin: string) =>
      SELF.fetch(`https://gw.example/v1/batch?key=${WRITE_KEY}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await ask(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    const foreign = await ask('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets CORS headers on accepted and on rejected answers from an allowed origin', async () => {
    const response = await SELF.fetch(post('{not json'));
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('rejects bodies over 512 KB with 413, whatever Content-Length says', async () => {
    const big = JSON.stringify(batchOf([trackEvent({ properties: { pad: 'x'.repeat(MAX_BATCH_BYTES) } })]));
    const response = await SELF.fetch(post(big));
    expect(response.status).toBe(413);
    expect((await json(response)).error.code).toBe('payload_too_large');
    // A streamed body without Content-Length is cut off while reading.
    const stream = new Blob([big]).stream();
    const streamed = await SELF.fetch(`https://gw.example/v1/batch?key=${WRITE_KEY}`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('rejects more than 500 events with 413 too_many_events', async () => {
    const events = Array.from({ length: 501 }, () => ({ type: 'page' }));
    const response = await SELF.fetch(post(batchOf(events)));
    expect(response.status).toBe(413);
    expect((await json(response)).error.code).toBe('too_many_events');
  });

  it('rejects malformed JSON with 400 and a bad envelope with 400 invalid_batch', async () => {
    expect((await json(await SELF.fetch(post('{"sentAt":')))).error.code).toBe('malformed_json');
    const envelope = await SELF.fetch(post({ events: [trackEvent()] }));
    expect(envelope.status).toBe(400);
    const body = await json(envelope);
    expect(body.error.code).toBe('invalid_batch');
    expect(body.error.message).toContain('sentAt');
  });

  it('rejects unsupported content types with 415', async () => {
    const response = await SELF.fetch(post(batchOf([trackEvent()]), { type: 'application/x-www-form-urlencoded' }));
    expect(response.status).toBe(415);
  });

  it('accepts the good events of a mixed batch and lists each bad one by index', async () => {
    const bad = trackEvent({ eventId: 'not-a-uuid', user: { email: 'secret@example.com', shoeSize: 9 } });
    const response = await SELF.fetch(post(batchOf([trackEvent(), bad, trackEvent()])));
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 1, code: 'invalid_event' });
    expect(body.rejected[0].message).toContain('eventId');
    // The reason names the field but never echoes the (possibly personal) value.
    expect(JSON.stringify(body)).not.toContain('secret@example.com');
  });

  it('answers 422 when no event in the batch is valid', async () => {
    const response = await SELF.fetch(post(batchOf([{ type: 'track' }])));
    expect(response.status).toBe(422);
    const body = await json(response);
    expect(body.error.code).toBe('invalid_event');
    expect(body.rejected[0].index).toBe(0);
  });

  it('drops repeats of an event id it already accepted', async () => {
    const event = trackEvent();
    expect((await json(await SELF.fetch(post(batchOf([event]))))).accepted).toBe(1);
    const again = await json(await SELF.fetch(post(batchOf([event, event]))));
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('unknown routes get a JSON 404', async () => {
    const response = await SELF.fetch('https://gw.example/v1/nope');
    expect(response.status).toBe(404);
    expect((await json(response)).error.code).toBe('not_found');
  });

  it('keeps site configs in KV (the binding the config names)', async () => {
    expect(await env.CONFIG.get(`writekey:${WRITE_KEY}`)).toBe('test-shop');
  });
});

describe('shared batch context', () => {
  it('merges the batch context into each event and validates the merged result', async () => {
    const { context, ...bare } = trackEvent();
    const own = trackEvent({ context: { userAgent: 'Own UA' } });
    const body = { ...batchOf([bare, own]), context };
    const response = await SELF.fetch(post(body));
    expect(await json(response)).toMatchObject({ accepted: 2, rejected: [] });
    const { anonymousId, ...anonymous } = trackEvent();
    const defaulted = await SELF.fetch(post({ ...batchOf([anonymous]), anonymousId }));
    expect(await json(defaulted)).toMatchObject({ accepted: 1 });
    expect((await SELF.fetch(post(batchOf([anonymous])))).status).toBe(422);
    const invalid = await SELF.fetch(post({ ...batchOf([bare]), context: { ip: '1.2.3.4' } }));
    expect(invalid.status).toBe(422);
    expect((await json(invalid)).rejected[0].message).toContain('context');
  });
});

describe('client queue drops', () => {
  it('records what SDK queues report dropped and shows it in the site status', async () => {
    const response = await SELF.fetch(post({ ...batchOf([trackEvent()]), dropped: 7 }));
    expect(response.status).toBe(200);
    const status = async () => {
      const answer = await SELF.fetch('https://gw.example/v1/admin/sites/test-shop/destinations/status', {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
      });
      return ((await answer.json()) as { clientQueueDrops: number }).clientQueueDrops;
    };
    await expect.poll(status).toBeGreaterThanOrEqual(7);
  });
});
