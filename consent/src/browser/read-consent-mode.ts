import type { ConsentModeState } from '@sluice/protocol';
import type { SignalReader } from './browser-signals.ts';

const TYPES = ['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization', 'functionality_storage', 'personalization_storage', 'security_storage'] as const;

/**
 * Google Consent Mode has no read API; gtag queues `['consent', 'default'|'update', {...}]` on
 * `dataLayer`. This replays what is there and observes later pushes; `update` overrides `default`.
 */
export const readConsentMode: SignalReader = (win, report) => {
  const w = win as unknown as { dataLayer?: unknown[] };
  w.dataLayer ??= [];
  const layer = w.dataLayer;
  let state: ConsentModeState = {};
  const take = (entry: unknown) => {
    const args = entry && typeof entry === 'object' && 'length' in entry ? Array.from(entry as ArrayLike<unknown>) : undefined;
    if (!args || args[0] !== 'consent' || (args[1] !== 'default' && args[1] !== 'update') || !args[2] || typeof args[2] !== 'object') return false;
    const values = args[2] as Record<string, unknown>;
    const next: ConsentModeState = { ...state };
    for (const type of TYPES) if (values[type] === 'granted' || values[type] === 'denied') next[type] = values[type];
    state = next;
    return true;
  };
  if (layer.map(take).some(Boolean)) report({ consentMode: state });
  const original = layer.push.bind(layer);
  layer.push = (...items: unknown[]) => {
    const result = original(...items);
    if (items.map(take).some(Boolean)) report({ consentMode: state });
    return result;
  };
  return () => {
    layer.push = original;
  };
};
