import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { applyReward } from './apply-reward.ts';

/** A conversion may carry the decisions of its session; more than this many is not a real page. */
export const MAX_DECISIONS_PER_EVENT = 10;

/** The decision ids a conversion carries: `properties.decisionId` (string) and/or `properties.decisionIds` (array). */
export function decisionIdsOf(event: Event): string[] {
  if (event.type !== 'track' || !event.properties) return [];
  const p = event.properties as Record<string, unknown>;
  const ids = [p.decisionId, ...(Array.isArray(p.decisionIds) ? p.decisionIds : [])].filter((v): v is string => typeof v === 'string' && v.length <= 128);
  return [...new Set(ids)].slice(0, MAX_DECISIONS_PER_EVENT);
}

/**
 * The automatic reward join, called once per accepted batch by ingest: every conversion that
 * carries a decision id rewards that decision (the experiment decides whether the event counts).
 * Runs after the response (waitUntil) and never throws: a failed join loses a reward, never a batch.
 */
export async function joinConversionRewards(env: Env, siteId: string, events: readonly Event[]): Promise<void> {
  const now = Date.now();
  const jobs = events.flatMap((event) => {
    if (event.type !== 'track') return [];
    const value = (event.properties as Record<string, unknown> | undefined)?.value;
    const signal = { kind: 'conversion' as const, event: event.event, ...(typeof value === 'number' && Number.isFinite(value) ? { value } : {}) };
    return decisionIdsOf(event).map((id) => applyReward(env, siteId, id, signal, now).catch(() => console.error('reward join failed')));
  });
  await Promise.all(jobs);
}
