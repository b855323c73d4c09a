import { Hono } from 'hono';
import { ErrorCode, MAX_BATCH_BYTES } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/api-error.ts';
import type { SiteVariables } from '../../http/site-origin-guard.ts';
import { PREFLIGHT_MAX_AGE_SECONDS } from '../../http/site-cors.ts';
import { acceptEvents, noValidEvent } from '../../ingest/accept-events.ts';
import { readBody } from '../../ingest/read-body.ts';
import { parseSegmentBody } from './parse-segment-body.ts';
import { segmentSite } from './segment-site.ts';
import type { SegmentType } from './to-sluice-event.ts';

/** The tracking API's calls by path: full names (HTTP API, server libraries) and analytics.js's letters. */
const CALLS: Record<string, SegmentType | 'batch'> = {
  track: 'track', t: 'track',
  identify: 'identify', i: 'identify',
  page: 'page', p: 'page',
  screen: 'screen', s: 'screen',
  group: 'group', g: 'group',
  alias: 'alias', a: 'alias',
  batch: 'batch', b: 'batch', import: 'batch',
};

/**
 * Segment's HTTP tracking API under `/segment/v1/*` (clients set `host`/`apiHost` to
 * `<gateway>/segment/v1`): the body is mapped into Sluice events and goes through `acceptEvents`,
 * exactly the path of the SDK's `/v1/batch`. Gzip bodies (RudderStack's default) are read up to the
 * same 512 KB as any batch, counted after decompression. Answers `{ success: true, accepted, duplicates, rejected }`.
 */
export const segmentRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  // The write key of a browser request is in its body, which a preflight does not carry: the
  // preflight only lets the browser send; the POST is then checked against the site's origins.
  .options('/:call', (c) => {
    const origin = c.req.header('origin');
    if (!origin || !(c.req.param('call') in CALLS)) throw new ApiError(404, ErrorCode.NotFound, 'no such Segment call');
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Access-Control-Allow-Credentials', 'true');
    c.header('Vary', 'Origin', { append: true });
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Retry-Count');
    c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    return c.body(null, 204);
  })
  .post('/:call', async (c) => {
    const call = CALLS[c.req.param('call')];
    if (!call) throw new ApiError(404, ErrorCode.NotFound, `no Segment call ${c.req.param('call')}`);
    const receivedAt = Date.now();
    const json = parseJson(await readBody(decoded(c.req.raw), MAX_BATCH_BYTES));
    const site = await segmentSite(c, (json as { writeKey?: unknown } | null)?.writeKey);
    const parsed = await parseSegmentBody(json, call, receivedAt);
    const { result, status } = await acceptEvents(c, site, parsed);
    return status === 422 ? c.json(noValidEvent(result), 422) : c.json({ success: true, ...result }, 200);
  });

/** The request with its body gunzipped when it says `Content-Encoding: gzip`. */
function decoded(request: Request): Request {
  const encoding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity' || !request.body) return request;
  if (encoding !== 'gzip') throw new ApiError(415, ErrorCode.UnsupportedMediaType, 'send the body plain or gzip-encoded');
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Request(request.url, { method: 'POST', headers, body: request.body.pipeThrough(new DecompressionStream('gzip')) });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
  }
}
