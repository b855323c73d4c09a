import type { PostResult } from '../post-json.ts';

/** The OAuth token endpoint answers fast; a slow answer is treated as a network failure and retried. */
export const OAUTH_TIMEOUT_MS = 3000;

/** POSTs `application/x-www-form-urlencoded` (what OAuth2 token endpoints take). Never throws. */
export async function postForm(url: string, form: Record<string, string>): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(OAUTH_TIMEOUT_MS),
    });
    return { response };
  } catch (error) {
    return { networkError: `network: ${(error as Error).name}` };
  }
}
