import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { checkEvent } from './check-event.ts';
import { parsePlan } from './parse-plan.ts';
import { draftPlan } from './draft-plan.ts';
import { safeName } from './safe-name.ts';

const base = { eventId: '6d3f1f4e-9a8b-4c2d-8e1f-0a1b2c3d4e5f', timestamp: '2026-11-28T10:00:00Z', anonymousId: 'a' };
const track = (event: string, properties?: Record<string, unknown>) => ({ type: 'track', event, ...base, ...(properties && { properties }) }) as Event;

function plan(doc: Record<string, unknown>) {
  const parsed = parsePlan({ version: 1, ...doc });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.plan;
}

describe('checkEvent', () => {
  const p = plan({
    mode: 'strip',
    unplannedProperties: 'allow',
    events: {
      Purchase: {
        properties: {
          value: { type: 'number', required: true, min: 0 },
          qty: { type: 'integer', max: 99, mode: 'quarantine' },
          sku: { type: 'string', pattern: '^[A-Z]-\\d+$', maxLength: 8 },
          tags: { type: ['array', 'null'] },
          channel: { type: 'string', enum: ['web', 'app'], mode: 'reject' },
        },
      },
      $page: { properties: { section: { type: 'string', required: true } }, mode: 'reject' },
    },
  });

  it('accepts an event that keeps the contract, unchanged (same object)', () => {
    const e = track('Purchase', { value: 3, qty: 2, sku: 'A-12', tags: null, channel: 'web' });
    const verdict = checkEvent(p, e);
    expect(verdict).toMatchObject({ action: 'accept', violations: [], planned: true });
    expect(verdict.event).toBe(e);
  });

  it('strips what breaks a strip rule, copies instead of mutating', () => {
    const e = track('Purchase', { value: 3, sku: 'lower-case-too-long', extra: 1 });
    const verdict = checkEvent(p, e);
    expect(verdict.action).toBe('accept');
    expect(verdict.event.properties).toEqual({ value: 3, extra: 1 });
    expect(e.properties).toHaveProperty('sku');
    expect(verdict.violations).toEqual([{ path: 'properties.sku', rule: 'maxLength', message: 'longer than 8', action: 'strip' }]);
  });

  it('a missing required property cannot be stripped: rejected', () => {
    expect(checkEvent(p, track('Purchase', {})).violations).toEqual([{ path: 'properties.value', rule: 'required', message: 'required property is missing', action: 'reject' }]);
  });

  it('the strictest mode wins: reject over quarantine over strip; integer is a number without fraction', () => {
    expect(checkEvent(p, track('Purchase', { value: 1, qty: 2.5 })).action).toBe('quarantine');
    expect(checkEvent(p, track('Purchase', { value: 1, qty: 2.5, channel: 'tv' })).action).toBe('reject');
    expect(checkEvent(p, track('Purchase', { value: 7 })).action).toBe('accept');
  });

  it('page events are checked only when the plan names $page; identify events pass', () => {
    const page = { type: 'page', ...base, properties: {} } as Event;
    expect(checkEvent(p, page).action).toBe('reject');
    expect(checkEvent(plan({ events: {} }), page).action).toBe('accept');
    expect(checkEvent(p, { type: 'identify', ...base } as Event)).toMatchObject({ action: 'accept', planned: false });
  });

  it('names no value in violations (they are stored and returned)', () => {
    const verdict = checkEvent(p, track('Purchase', { value: 'jane@example.com', channel: 'secret-channel' }));
    expect(JSON.stringify(verdict.violations)).not.toMatch(/jane|secret-channel/);
  });
});

describe('parsePlan and draftPlan', () => {
  it('rejects an unknown retention class and a bad range with their paths', () => {
    const r = parsePlan({ version: 1, events: { A: { retention: 'forever', properties: { x: { type: 'number', min: 5, max: 1 } } } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual(['events.A.properties.x.min']);
    const r2 = parsePlan({ version: 1, events: { A: { retention: 'forever' } } });
    expect(!r2.ok && r2.issues[0]).toEqual({ path: 'events.A.retention', message: 'retention class "forever" is not in retentionClasses' });
  });

  it('drafts types and required-ness from observations, and the draft parses', () => {
    const draft = draftPlan([
      { event: 'Purchase', property: '', type: 'event', count: 4 },
      { event: 'Purchase', property: 'value', type: 'integer', count: 2 },
      { event: 'Purchase', property: 'value', type: 'number', count: 2 },
      { event: 'Purchase', property: 'coupon', type: 'string', count: 1 },
      { event: 'Purchase', property: 'coupon', type: 'null', count: 1 },
    ]);
    expect(draft.events.Purchase!.properties).toEqual({ coupon: { type: ['null', 'string'], required: false }, value: { type: 'number', required: true } });
    expect(parsePlan(draft).ok).toBe(true);
  });

  it('keeps names that could carry personal data out of counters', () => {
    expect(safeName('orderId')).toBe('orderId');
    expect(safeName('jane@x.io')).toBe('[unsafe-name]');
    expect(safeName('user 4155550199')).toBe('[unsafe-name]');
  });
});
