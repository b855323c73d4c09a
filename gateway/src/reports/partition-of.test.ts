import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { partitionOf } from './partition-of.ts';
import { ReportConfig } from './report-config.ts';

const config = ReportConfig.parse({
  version: 1,
  events: ['Slot Impression', 'Slot Click'],
  dimensions: ['model', 'modelVersion', 'shadowAgrees'],
  catalogue: { model: ['recs'], modelVersion: ['1.0.0', '1.1.0'], shadowAgrees: ['true', 'false'] },
});

// The properties exactly as sdk/src/rank/ranker.ts puts them on its events.
const impression = (properties: Record<string, unknown>) => ({ type: 'track', event: 'Slot Impression', properties }) as unknown as Event;

describe('partitionOf: model dimensions read the rank chunk’s property names', () => {
  it('reads model, model_version and the boolean shadow_top_agrees', () => {
    const key = (p: Record<string, unknown>) => JSON.parse(partitionOf(impression(p), config, 'DE')!);
    expect(key({ slot: 'home', model: 'recs', model_version: '1.1.0', rank_source: 'model', shadow_top_agrees: true })).toEqual({ event: 'Slot Impression', model: 'recs', modelVersion: '1.1.0', shadowAgrees: 'true' });
    expect(key({ model: 'recs', model_version: '1.0.0', shadow_top_agrees: false }).shadowAgrees).toBe('false');
    expect(key({ model: 'recs', model_version: '1.0.0' }).shadowAgrees).toBe('(none)'); // no shadow candidate scored
    expect(key({ model: 'recs', modelVersion: '1.0.0' }).modelVersion).toBe('(none)'); // not the SDK's name
    expect(key({ model: 'recs', model_version: '9.9.9', shadow_top_agrees: 'yes' })).toMatchObject({ modelVersion: '(other)', shadowAgrees: '(other)' });
  });
});
