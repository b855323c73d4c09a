import { describe, expect, it } from 'vitest';
import { describeRequest, redactSecrets } from './redact-secrets.ts';

describe('redactSecrets (local stack log lines)', () => {
  it('redacts tokens in JSON bodies, query strings, form bodies and headers', () => {
    expect(redactSecrets('{"data":[{"event_name":"Purchase"}],"access_token":"EAAB-real-token"}')).toBe('{"data":[{"event_name":"Purchase"}],"access_token":"[redacted]"}');
    expect(redactSecrets('/mp/collect?measurement_id=G-1&api_secret=s3cr3t')).toBe('/mp/collect?measurement_id=G-1&api_secret=[redacted]');
    expect(redactSecrets('grant_type=refresh_token&refresh_token=1%2F%2Fabc&client_secret=cs')).toBe('grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]');
    expect(redactSecrets('authorization: Bearer ya29.x developer-token: dev123 Access-Token: tt')).toBe('authorization: [redacted] developer-token: [redacted] Access-Token: [redacted]');
    expect(redactSecrets('{"event":"Purchase"}')).toBe('{"event":"Purchase"}');
  });

  it('a printed sink request holds none of the secrets it carried', () => {
    const line = describeRequest('tiktok', {
      method: 'POST',
      path: '/open_api/v1.3/event/track/',
      query: { api_secret: 'q-secret' },
      headers: { 'access-token': 'h-secret', 'content-type': 'application/json', 'developer-token': 'd-secret' },
      body: JSON.stringify({ pixel_code: 'P1', access_token: 'b-secret', data: [] }),
    });
    expect(line).toContain('pixel_code');
    expect(line).not.toMatch(/q-secret|h-secret|d-secret|b-secret/);
  });
});
