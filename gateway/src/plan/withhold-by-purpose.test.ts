import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { parsePlan } from './parse-plan.ts';
import { checkEvent } from './check-event.ts';
import { excusedProperties, unknownPurposes, withholdByPurpose } from './withhold-by-purpose.ts';
import type { TrackingPlan } from './plan-schema.ts';

function plan(): TrackingPlan {
  const parsed = parsePlan({
    version: 1,
    unplannedProperties: 'allow',
    events: {
      Purchase: {
        properties: {
          value: { type: 'number', required: true, purposes: ['advertising'] },
          both: { type: 'string', purposes: ['advertising', 'measurement'] },
          coupon: { type: 'string', purposes: ['measurement'] },
          typo: { type: 'string', purposes: ['marketting'] },
          currency: { type: 'string' },
        },
      },
      $page: { properties: { section: { type: 'string', purposes: ['measurement'] } } },
    },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.plan;
}

const purchase = (properties: Record<string, unknown>) => ({ type: 'track', event: 'Purchase', eventId: 'e1', timestamp: '2026-12-02T00:00:00Z', anonymousId: 'a', properties }) as Event;
const only = (...granted: string[]) => (p: string) => granted.includes(p);

describe('withholdByPurpose', () => {
  const all = { value: 5, both: 'b', coupon: 'c', typo: 't', currency: 'eur', unplanned: 'u' };

  it('keeps a property only when every one of its purposes is granted; others and unplanned ones are untouched', () => {
    const { event, withheld } = withholdByPurpose(plan(), purchase(all), only('measurement'));
    expect(event.properties).toEqual({ coupon: 'c', currency: 'eur', unplanned: 'u' });
    expect(withheld).toEqual([
      { path: 'properties.value', missing: ['advertising'] },
      { path: 'properties.both', missing: ['advertising'] },
      { path: 'properties.typo', missing: ['marketting'] },
    ]);
    expect(withholdByPurpose(plan(), purchase(all), only('advertising', 'measurement', 'marketting')).withheld).toEqual([]);
    // A purpose the policy does not know is never granted: fail closed.
    expect(withholdByPurpose(plan(), purchase(all), only('advertising', 'measurement')).event.properties).not.toHaveProperty('typo');
  });

  it('never mutates the event; returns it as is when nothing is withheld', () => {
    const event = purchase({ ...all });
    const before = structuredClone(event);
    withholdByPurpose(plan(), event, only());
    expect(event).toEqual(before);
    const kept = purchase({ currency: 'eur' });
    expect(withholdByPurpose(plan(), kept, only()).event).toBe(kept);
  });

  it('excuses a withheld required property from the required rule, and only then', () => {
    const p = plan();
    const withheld = withholdByPurpose(p, purchase(all), only('measurement'));
    expect(checkEvent(p, withheld.event, excusedProperties(p, purchase(all), only('measurement'))).violations).toEqual([]);
    expect(checkEvent(p, withheld.event).violations.map((v) => v.rule)).toEqual(['required']);
    // Granted but absent: still required.
    expect(checkEvent(p, purchase({ currency: 'eur' }), excusedProperties(p, purchase({}), only('advertising', 'measurement'))).violations.map((v) => v.rule)).toEqual(['required']);
  });

  it('page events are affected when planned as $page', () => {
    const page = { type: 'page', eventId: 'p', timestamp: '2026-12-02T00:00:00Z', anonymousId: 'a', properties: { section: 'shoes' } } as Event;
    expect(withholdByPurpose(plan(), page, only()).event.properties).toEqual({});
  });

  it('unknownPurposes names each purpose the policy lacks by path', () => {
    expect(unknownPurposes(plan(), ['essential', 'measurement', 'advertising'])).toEqual([{ path: 'events.Purchase.properties.typo.purposes.0', message: expect.stringContaining('"marketting"') }]);
  });
});
