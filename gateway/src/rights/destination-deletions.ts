import type { Env } from '../env.ts';
import type { DestinationConfig, Ga4DestinationConfig, SiteConfig } from '../site-config/site-config.ts';
import { accessToken } from '../destinations/google-ads/oauth-token.ts';
import { looksLikeContact } from '../destinations/ga4/to-ga4-item.ts';
import type { DeletionIdentifiers } from './deletion-request.ts';

/** What one destination did with a deletion request (kept in the deletion record; no identifiers). */
export interface DestinationDeletion {
  destination: string;
  type: DestinationConfig['type'];
  status: 'requested' | 'failed' | 'not-configured' | 'unsupported' | 'nothing-to-send';
  detail: string;
}

/**
 * Vendors without a deletion API for data received through their conversion API (checked
 * 2026-12): Meta's Conversions API has none (deletion goes through Meta's own user-facing tools and
 * the data-deletion callback of Facebook Login apps, not events); TikTok's Events API has none;
 * Google Ads click conversions have none (uploads cannot be retracted; conversion adjustments
 * restate value, they do not delete the person).
 */
const NO_DELETION_API: Partial<Record<DestinationConfig['type'], string>> = {
  meta: 'Meta Conversions API offers no user deletion endpoint',
  tiktok: 'TikTok Events API offers no user deletion endpoint',
  google_ads: 'Google Ads click conversion uploads offer no user deletion endpoint',
};

/** The Google Analytics User Deletion API host (overridable for the local sink). */
const DEFAULT_GA_DELETION_BASE = 'https://www.googleapis.com';
const TIMEOUT_MS = 10_000;

/**
 * Sends the deletion to every destination of the site that accepts one (GA4 with `userDeletion`
 * configured: one `upsert` per identifier it knows the person by, USER_ID and CLIENT_ID) and
 * says for every other one why not.
 * @example await requestDestinationDeletions(env, site, { userId: 'u-1' })
 */
export async function requestDestinationDeletions(env: Env, site: SiteConfig, ids: DeletionIdentifiers): Promise<DestinationDeletion[]> {
  const out: DestinationDeletion[] = [];
  for (const [key, config] of Object.entries(site.destinations)) {
    if (config.type === 'ga4') out.push({ destination: key, type: 'ga4', ...(await ga4Deletion(env, config, ids)) });
    else out.push({ destination: key, type: config.type, status: 'unsupported', detail: NO_DELETION_API[config.type] ?? 'no deletion API' });
  }
  return out;
}

async function ga4Deletion(env: Env, config: Ga4DestinationConfig, ids: DeletionIdentifiers): Promise<Pick<DestinationDeletion, 'status' | 'detail'>> {
  const deletion = config.userDeletion;
  if (!deletion) return { status: 'not-configured', detail: 'ga4 destination has no userDeletion credentials' };
  // GA4 knows the person by what the GA4 destination sent: user_id (never a contact value) and client_id (anonymousId).
  const targets: Array<{ type: 'USER_ID' | 'CLIENT_ID'; userId: string }> = [];
  if (ids.userId && !looksLikeContact(ids.userId)) targets.push({ type: 'USER_ID', userId: ids.userId });
  if (ids.anonymousId) targets.push({ type: 'CLIENT_ID', userId: ids.anonymousId });
  if (targets.length === 0) return { status: 'nothing-to-send', detail: 'GA4 receives no email or phone from Sluice: nothing to delete by them' };
  const token = await accessToken(deletion, env);
  if (!('token' in token)) return { status: 'failed', detail: token.reason };
  const base = typeof env.GA_USER_DELETION_API_BASE_URL === 'string' ? env.GA_USER_DELETION_API_BASE_URL : DEFAULT_GA_DELETION_BASE;
  const done: string[] = [];
  for (const id of targets) {
    let response: Response;
    try {
      response = await fetch(`${base}/analytics/v3/userDeletion/userDeletionRequests:upsert`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'analytics#userDeletionRequest', id, propertyId: deletion.propertyId }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return { status: 'failed', detail: `${id.type}: ${(error as Error).name}${done.length ? `; sent ${done.join(', ')}` : ''}` };
    }
    const body = (await response.json().catch(() => null)) as { deletionRequestTime?: string } | null;
    if (!response.ok) return { status: 'failed', detail: `${id.type}: HTTP ${response.status}${done.length ? `; sent ${done.join(', ')}` : ''}` };
    done.push(`${id.type} (deletionRequestTime ${body?.deletionRequestTime ?? 'unknown'})`);
  }
  return { status: 'requested', detail: done.join('; ') };
}
