import { applyFieldTransforms, decodeSignals, evaluateConsent, policyWarnings, type Gvl } from '@sluice/consent';
import { ConsentSignals, Event } from '@sluice/protocol';
import { z } from 'zod';
import { destinationFor } from '../../destinations/registry.ts';
import { prepareItem } from '../../destinations/prepare-item.ts';
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
 * item it would receive, identity values that could not be sent, and the receipt; plus the live
 * policy's deprecation `warnings` and, with a TC string, the whole decoded string.
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
    let identityIssues: string[] = [];
    if (verdict.decision !== 'deny') {
      const minimized = await applyFieldTransforms(event, request.ip, verdict.transforms);
      // The simulated location stands in for the request's edge country (phone default region), as at ingest.
      const facts = { ip: minimized.ip, userAgent: undefined, receivedAt: Date.parse(event.timestamp), country: request.location.country };
      const consent = { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization };
      ({ item, issues: identityIssues } = await prepareItem(destinationFor(config), minimized.event, facts, config, consent, site));
    }
    destinations[key] = {
      decision: verdict.decision,
      consent: { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization },
      transforms: verdict.transforms,
      fields: verdict.fields.map((f) => ({ path: f.path, action: f.action, rule: f.rule, reason: f.reason })),
      item,
      ...(identityIssues.length > 0 && { identityIssues }),
      receipt: verdict.receipt,
    };
  }
  // The whole decoded TC string (every field the IAB's TCModel decodes), so a dry run shows what the CMP said.
  const tcf = signals.tcf?.ok ? { tcf: { source: signals.tcf.source, decoded: signals.tcf.value, validity: signals.tcf.validity } } : {};
  return { jurisdiction: evaluation.jurisdiction.id, purposes: evaluation.purposes, destinations, warnings: policyWarnings(live.policy), ...tcf };
}
