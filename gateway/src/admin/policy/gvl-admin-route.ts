import { Hono } from 'hono';
import { Gvl, formatPath } from '@sluice/consent';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/api-error.ts';
import { GVL_KEY, clearGvlCache } from '../../consent/live-gvl.ts';
import { requireAdminToken } from '../admin-token.ts';
import { readBody } from '../../ingest/read-body.ts';

/** The largest real GVL is ~1 MB of JSON; KV values may be 25 MiB. */
export const MAX_GVL_BYTES = 8 * 1024 * 1024;

/** `/v1/admin/gvl`: the Global Vendor List used for TCF vendor checks (consent.md §1.4b). */
export const gvlAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .put('/', async (c) => {
    const text = await readBody(c.req.raw, MAX_GVL_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
    }
    const parsed = Gvl.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidBatch, `${formatPath(first.path)}: ${first.message}`);
    }
    await c.env.CONFIG.put(GVL_KEY, JSON.stringify(parsed.data));
    clearGvlCache();
    return c.json({ vendorListVersion: parsed.data.vendorListVersion, vendors: Object.keys(parsed.data.vendors).length });
  });
