import type { Env } from '../../env.ts';
import type { GoogleAdsDestinationConfig } from '../../site-config/site-config.ts';
import { postForm } from './post-form.ts';
import { readSecret } from '../post-json.ts';

/** Refresh a little before Google's stated expiry so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

const tokens = new Map<string, { token: string; expiresAt: number }>();

/** The secrets an OAuth2 refresh-token grant needs (Google Ads, the GA User Deletion API). */
export type OAuthCredentials = Pick<GoogleAdsDestinationConfig, 'oauthClientIdSecret' | 'oauthClientSecretSecret' | 'oauthRefreshTokenSecret'>;

export type TokenResult = { token: string } | { retryable: boolean; reason: string };

/** An OAuth2 access token from the refresh token the config names (RFC 6749 §6), cached per isolate. */
export async function accessToken(config: OAuthCredentials, env: Env, now = Date.now()): Promise<TokenResult> {
  const key = `${config.oauthClientIdSecret}\u0000${config.oauthRefreshTokenSecret}`;
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > now) return { token: cached.token };
  const clientId = readSecret(env, config.oauthClientIdSecret);
  const clientSecret = readSecret(env, config.oauthClientSecretSecret);
  const refreshToken = readSecret(env, config.oauthRefreshTokenSecret);
  if (!clientId || !clientSecret || !refreshToken) return { retryable: false, reason: 'google ads oauth secrets are not set' };
  const form = { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken };
  const result = await postForm(`${env.GOOGLE_OAUTH_BASE_URL}/token`, form);
  if ('networkError' in result) return { retryable: true, reason: `google oauth ${result.networkError}` };
  const body = (await result.response.json().catch(() => null)) as { access_token?: string; expires_in?: number; error?: string } | null;
  if (!result.response.ok || !body?.access_token) {
    const status = result.response.status;
    return { retryable: status === 429 || status >= 500, reason: `google oauth ${status}: ${body?.error ?? 'no access token'}` };
  }
  tokens.set(key, { token: body.access_token, expiresAt: now + (body.expires_in ?? 0) * 1000 - EXPIRY_MARGIN_MS });
  return { token: body.access_token };
}

/** Forgets a token Google refused (401), so the next attempt fetches a new one. */
export function forgetAccessToken(config: OAuthCredentials): void {
  tokens.delete(`${config.oauthClientIdSecret}\u0000${config.oauthRefreshTokenSecret}`);
}
