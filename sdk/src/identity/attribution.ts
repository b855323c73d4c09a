import type { ClickIds, Utm } from '@sluice/protocol';
import { readLocal, writeLocal } from './device-storage.ts';

const DAY = 86_400_000;

/**
 * How long each vendor attributes a conversion to a click: Meta's longest click window is 7 days,
 * TikTok's 28 days, Google Ads (gclid/wbraid/gbraid) and Microsoft Ads (msclkid) 90 days.
 */
export const CLICK_ID_WINDOWS_MS: Record<keyof ClickIds, number> = {
  fbclid: 7 * DAY,
  ttclid: 28 * DAY,
  gclid: 90 * DAY,
  wbraid: 90 * DAY,
  gbraid: 90 * DAY,
  msclkid: 90 * DAY,
};

const KEY = 'sl_attr';
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

type Stored = Partial<Record<keyof ClickIds, { v: string; at: number }>>;

export interface Attribution {
  clickIds?: ClickIds;
  utm?: Utm;
  /** When this page's URL carried an fbclid: its capture time (for `_fbc`). */
  fbclidAt?: number;
}

let utm: Utm | undefined;

/** Click ids from the landing URL, merged with those still inside their vendor's window. Case is kept (Meta: "do not modify"). */
export function captureAttribution(url: string, now = Date.now()): Attribution {
  const params = new URL(url).searchParams;
  const stored: Stored = readLocal(KEY) ?? {};
  const clickIds: ClickIds = {};
  for (const name of Object.keys(CLICK_ID_WINDOWS_MS) as (keyof ClickIds)[]) {
    const fresh = params.get(name);
    if (fresh) stored[name] = { v: fresh.slice(0, 512), at: now };
    const kept = stored[name];
    if (kept && now - kept.at <= CLICK_ID_WINDOWS_MS[name]) clickIds[name] = kept.v;
    else delete stored[name];
  }
  writeLocal(KEY, stored);
  const found: Utm = {};
  for (const key of UTM_KEYS) {
    const value = params.get(`utm_${key}`);
    if (value) found[key] = value.slice(0, 256);
  }
  if (Object.keys(found).length) utm = found;
  const result: Attribution = {};
  if (Object.keys(clickIds).length) result.clickIds = clickIds;
  if (utm) result.utm = utm;
  if (params.get('fbclid')) result.fbclidAt = now;
  return result;
}
