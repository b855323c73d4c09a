import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GppModel } from '@iabgpp/cmpapi';
import { launchChromium, DEMO_WRITE_KEY } from './harness/index.ts';
import { openConsentPage, startConsentStack, type ConsentStack } from './consent/consent-stack.ts';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

const ACCEPT_TC = makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });
const DENY_TC = makeTcString({ purposeConsents: [], vendorConsents: [] });

interface MetaBody {
  data: { event_name: string; event_id: string; data_processing_options?: string[] }[];
}
type TestApi = {
  log: Record<'sent' | 'dropped' | 'held' | 'released' | 'purged', string[]>;
  boot(key: string): Promise<unknown>;
  track(name: string): { eventId: string; admission: string };
  flush(): Promise<number>;
  postDirect(name: string, consent: unknown): Promise<{ eventId: string; status: number }>;
  cmpChoice(tc: string): void;
  gppChoice(gpp: string, sid: number[], parsed: Record<string, unknown>): void;
  status(): string;
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function delivered(stack: ConsentStack): MetaBody['data'] {
  return stack.metaSink.received.filter((r) => !r.rejectedFor).flatMap((r) => (JSON.parse(r.body) as MetaBody).data);
}

/** Waits until `eventId` reached the sink; anything queued before it has had the same path to get there. */
async function sentinelArrives(stack: ConsentStack, eventId: string): Promise<void> {
  await expect.poll(() => delivered(stack).filter((e) => e.event_id === eventId).length, { timeout: 30_000, interval: 250 }).toBe(1);
}

async function page(context: BrowserContext, stack: ConsentStack): Promise<Page> {
  const p = await context.newPage();
  await openConsentPage(p, stack);
  await p.evaluate((key) => (window as unknown as { consentTest: TestApi }).consentTest.boot(key), DEMO_WRITE_KEY);
  return p;
}

function call<T>(p: Page, fn: (api: TestApi, arg: any) => T | Promise<T>, arg?: unknown): Promise<T> {
  return p.evaluate(
    ([source, a]) => {
      const f = new Function('api', 'arg', `return (${source})(api, arg);`) as (api: unknown, arg: unknown) => unknown;
      return f((window as unknown as { consentTest: unknown }).consentTest, a);
    },
    [fn.toString(), arg] as const,
  ) as Promise<T>;
}

async function auditDecisions(stack: ConsentStack, eventId: string): Promise<string[]> {
  const wrangler = join(process.cwd(), 'node_modules/wrangler/bin/wrangler.js');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [wrangler, 'd1', 'execute', 'DB', '--local', '--persist-to', stack.gateway.persistTo, '--json', '--command', `SELECT decision FROM consent_audit WHERE event_id = '${eventId}'`],
    { env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
  );
  return (JSON.parse(stdout) as Array<{ results: Array<{ decision: string }> }>)[0]!.results.map((r) => r.decision);
}

describe('consent in Chromium — EEA (opt-in, real IAB __tcfapi CMP)', () => {
  let stack: ConsentStack;
  let context: BrowserContext;
  beforeAll(async () => {
    stack = await startConsentStack('DE');
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it('deny → nothing reaches the Meta sink, even from a client that bypasses the gate', async () => {
    const p = await page(context, stack);
    const held = await call(p, (api) => api.track('Purchase'));
    expect(held.admission).toBe('hold');
    await call(p, (api, tc) => api.cmpChoice(tc), DENY_TC);
    const after = await call(p, (api) => api.track('Purchase'));
    expect(after.admission).toBe('drop');
    expect(await call(p, (api) => api.flush())).toBe(0);
    const log = await call(p, (api) => api.log);
    expect(log.dropped).toEqual([held.eventId, after.eventId]);
    expect(log.sent).toEqual([]);
    const tampered = await call(p, (api, tc) => api.postDirect('Tampered', { tcString: tc }), DENY_TC);
    expect(tampered.status).toBe(200);
    const sentinel = await call(p, (api, tc) => api.postDirect('Sentinel', { tcString: tc }), ACCEPT_TC);
    await sentinelArrives(stack, sentinel.eventId);
    const ids = delivered(stack).map((e) => e.event_id);
    for (const id of [held.eventId, after.eventId, tampered.eventId]) expect(ids).not.toContain(id);
    expect(await auditDecisions(stack, tampered.eventId)).toEqual(['deny']);
    await p.close();
  });

  it('accept → held events are released once and reach the Meta sink', async () => {
    const p = await page(context, stack);
    const held = await call(p, (api) => api.track('Purchase'));
    expect(held.admission).toBe('hold');
    await call(p, (api, tc) => api.cmpChoice(tc), ACCEPT_TC);
    await call(p, (api, tc) => api.cmpChoice(tc), ACCEPT_TC); // a second final state must not release again
    expect((await call(p, (api) => api.log)).released).toEqual([held.eventId]);
    expect(await call(p, (api) => api.flush())).toBe(200);
    await sentinelArrives(stack, held.eventId);
    await p.close();
  });

  it('revoke → queued events are purged and nothing more is sent', async () => {
    const p = await page(context, stack);
    await call(p, (api, tc) => api.cmpChoice(tc), ACCEPT_TC);
    const queued = await call(p, (api) => api.track('AddToCart'));
    expect(queued.admission).toBe('send');
    await call(p, (api, tc) => api.cmpChoice(tc), DENY_TC);
    expect((await call(p, (api) => api.log)).purged).toEqual([queued.eventId]);
    expect(await call(p, (api) => api.flush())).toBe(0);
    const later = await call(p, (api) => api.track('Purchase'));
    expect(later.admission).toBe('drop');
    const sentinel = await call(p, (api, tc) => api.postDirect('Sentinel', { tcString: tc }), ACCEPT_TC);
    await sentinelArrives(stack, sentinel.eventId);
    const ids = delivered(stack).map((e) => e.event_id);
    expect(ids).not.toContain(queued.eventId);
    expect(ids).not.toContain(later.eventId);
    await p.close();
  });

  it('late CMP answer → events held past waitMs are dropped by the opt-in default, later ones flow', async () => {
    const p = await page(context, stack);
    const early = await call(p, (api) => api.track('PageView'));
    expect(early.admission).toBe('hold');
    await p.waitForFunction(() => (window as unknown as { consentTest: TestApi }).consentTest.status() === 'defaulted', undefined, { timeout: 10_000 });
    await call(p, (api, tc) => api.cmpChoice(tc), ACCEPT_TC);
    const log = await call(p, (api) => api.log);
    expect(log.dropped).toEqual([early.eventId]);
    expect(log.released).toEqual([]);
    const later = await call(p, (api) => api.track('Purchase'));
    expect(later.admission).toBe('send');
    await call(p, (api) => api.flush());
    await sentinelArrives(stack, later.eventId);
    expect(delivered(stack).map((e) => e.event_id)).not.toContain(early.eventId);
    await p.close();
  });
});

describe('consent in Chromium — California (opt-out, GPC + __gpp)', () => {
  const gpcContext = () => browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  const withGpc = async (context: BrowserContext) => {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  };

  it('GPC with policy "limited" → Meta gets the event in limited-data-use mode (receipt says limited)', async () => {
    const stack = await startConsentStack('US-CA');
    const context = await gpcContext();
    try {
      await withGpc(context);
      const p = await page(context, stack);
      expect(await call(p, (api) => api.status())).toBe('known');
      const event = await call(p, (api) => api.track('Purchase'));
      expect(event.admission).toBe('send');
      expect(await call(p, (api) => api.flush())).toBe(200);
      await sentinelArrives(stack, event.eventId);
      expect(await auditDecisions(stack, event.eventId)).toEqual(['limited']);
      const sent = delivered(stack).find((e) => e.event_id === event.eventId) as unknown as Record<string, unknown>;
      expect(sent.data_processing_options).toEqual(['LDU']);
    } finally {
      await context.close();
      await stack.stop();
    }
  });

  it('GPC with policy "deny", or a GPP SaleOptOut → Meta gets nothing; a non-opted-out visitor still flows', async () => {
    const stack = await startConsentStack('US-CA', (policy) => {
      policy.destinations.meta.whenDenied = { 'us-optout': 'deny' };
    });
    const context = await gpcContext();
    const plain = await browser.newContext();
    try {
      await withGpc(context);
      const p = await page(context, stack);
      const gpc = await call(p, (api) => api.track('Purchase'));
      expect(gpc.admission).toBe('drop');
      const tampered = await call(p, (api) => api.postDirect('Tampered', {}));
      // A visitor without GPC who opts out through the GPP CMP (usnat SaleOptOut = 1).
      const model = new GppModel();
      model.setFieldValue('usnat', 'SaleOptOut', 1);
      const optedOut = model.encode();
      const q = await page(plain, stack);
      await call(q, (api, arg) => api.gppChoice(arg.gpp, [7], arg.parsed), { gpp: optedOut, parsed: new GppModel(optedOut).toObject() });
      const viaGpp = await call(q, (api) => api.track('Purchase'));
      expect(viaGpp.admission).toBe('drop');
      const bypass = await call(q, (api, gpp) => api.postDirect('Tampered', { gppString: gpp, gppSid: [7] }), optedOut);
      const sentinel = await call(q, (api) => api.postDirect('Sentinel', {}));
      await sentinelArrives(stack, sentinel.eventId);
      const ids = delivered(stack).map((e) => e.event_id);
      for (const id of [gpc.eventId, tampered.eventId, viaGpp.eventId, bypass.eventId]) expect(ids).not.toContain(id);
      expect(await auditDecisions(stack, tampered.eventId)).toEqual(['deny']);
      expect(await auditDecisions(stack, bypass.eventId)).toEqual(['deny']);
    } finally {
      await context.close();
      await plain.close();
      await stack.stop();
    }
  });
});
