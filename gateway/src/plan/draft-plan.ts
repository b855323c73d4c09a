import type { PropertyType, TrackingPlan } from './plan-schema.ts';

export interface Observation {
  event: string;
  property: string;
  type: string;
  count: number;
}

/**
 * A tracking plan drafted from what a site has sent, for a person to review: every event seen,
 * every property with the types observed; a property seen on every observation of its event is
 * marked required (counts are lower bounds, so review before enforcing). Mode `quarantine`, so a
 * wrong guess keeps events aside instead of losing them.
 * @example draftPlan([{ event: 'Purchase', property: '', type: 'event', count: 3 }, { event: 'Purchase', property: 'value', type: 'number', count: 3 }])
 */
export function draftPlan(rows: readonly Observation[]): TrackingPlan {
  const events: TrackingPlan['events'] = {};
  const seen = new Map<string, number>();
  for (const r of rows) if (r.property === '' && r.type === 'event') seen.set(r.event, r.count);
  for (const name of [...seen.keys()].sort()) events[name] = { properties: {} };
  const byProperty = new Map<string, { types: Set<PropertyType>; count: number }>();
  for (const r of rows) {
    if (r.property === '' || !events[r.event]) continue;
    const key = `${r.event}\u0000${r.property}`;
    const entry = byProperty.get(key) ?? { types: new Set<PropertyType>(), count: 0 };
    entry.types.add(r.type as PropertyType);
    entry.count += r.count;
    byProperty.set(key, entry);
  }
  for (const [key, { types, count }] of [...byProperty].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [event, property] = key.split('\u0000') as [string, string];
    // integer and number observed together are one number.
    if (types.has('integer') && types.has('number')) types.delete('integer');
    const list = [...types].sort();
    events[event]!.properties[property] = { type: list.length === 1 ? list[0]! : list, required: count >= (seen.get(event) ?? Infinity) };
  }
  return { version: 1, mode: 'quarantine', unplannedEvents: 'allow', unplannedProperties: 'strip', events };
}
