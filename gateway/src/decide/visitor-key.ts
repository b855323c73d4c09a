/**
 * The visitor as the bandit sees it: SHA-256 of (site, visitor id), hex. The Durable Object
 * keys stickiness, frequency caps and the holdout hash by this, never by the raw id.
 */
export async function visitorKey(siteId: string, visitorId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${siteId}\u0000${visitorId}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
