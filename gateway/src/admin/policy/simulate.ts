import { applyFieldTransforms, decodeSignals, evaluateConsent, policyWarnings, type Gvl } from '@sluice/consent';
import { ConsentSignals, Event } from '@sluice/protocol';
import { z } from 'zod';
import { destinationFor } from '../../destinations/registry.ts';
import type { SiteConfig } from '../../site-config/site-config.ts';
import type { LivePolicy } from '../../consent/live-policy.ts';

/** A privacy team's question: this event, these signals, from here — what goes where? */
export const SimulateRequest = z.strictObject({
  event: z.unknown(),
  signals: ConsentSignals.optional(),
  secGpc: z.boolean().default(false),
  location: z.strictObject({ country: z.string().max(2).optional(), region: z.string().max(6).optional() }).default({}),
  ip: z.string().max(64).optional(),
});
export type SimulateRequest = z.infer<typeof SimulateRequest>;

/**
 * Runs the same decode → evaluate → minimize → `toItem` path as ingest, without queuing or
 * auditing, and returns per destination the decision, Google's consent flags, the transforms,
 * every field rule with the reason it resolved as it did (`fields`), the vendor-shaped (hashed)
 * item it would receive and the receipt; plus the live policy's deprecation `warnings`.
 */
export async function simulate(site: SiteConfig, live: LivePolicy, gvl: Gvl | undefined, request: SimulateRequest, event: Event) {
  const signals = decodeSignals(request.signals ?? event.consent, request.secGpc);
  const evaluation = evaluateConsent({
    policy: live.policy,
    policyVersion: live.policyVersion,
    signals,
    location: request.location,
    destinations: Object.keys(site.destinations),
    gvl,
  });
  const destinations: Record<string, unknown> = {};
  for (const [key, config] of Object.entries(site.destinations)) {
    const verdict = evaluation.destinations[key]!;
    let item: unknown = null;
    if (verdict.decision !== 'deny') {
      const minimized = await applyFieldTransforms(event, request.ip, verdict.transforms);
      const facts = { ip: minimized.ip, userAgent: undefined, receivedAt: Date.parse(event.timestamp) };
      const consent = { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization };
      item = await destinationFor(config).toItem(minimized.event, facts, config, consent);
    }
    destinations[key] = {
      decision: verdict.decision,
      consent: { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization },
      transforms: verdict.transforms,
      fields: verdict.fields.map((f) => ({ path: f.path, action: f.action, rule: f.rule, reason: f.reason })),
      item,
      receipt: verdict.receipt,
    };
  }
  return { jurisdiction: evaluation.jurisdiction.id, purposes: evaluation.purposes, destinations, warnings: policyWarnings(live.policy) };
}
