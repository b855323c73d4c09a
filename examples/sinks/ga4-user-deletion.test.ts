import { describe, expect, it } from 'vitest';
import { validateUserDeletion } from './ga4-sink.ts';

const request = (headers: Record<string, string>) => ({ method: 'POST', path: '/analytics/v3/userDeletion/userDeletionRequests:upsert', query: {}, headers, body: '' });
const ok = { authorization: 'Bearer ya29.token', 'content-type': 'application/json' };

describe('GA User Deletion API sink (documented userDeletionRequest shape)', () => {
  it('accepts a GA4 request by USER_ID or CLIENT_ID', () => {
    expect(validateUserDeletion(request(ok), { kind: 'analytics#userDeletionRequest', id: { type: 'USER_ID', userId: 'u-1' }, propertyId: '123456789' })).toEqual([]);
    expect(validateUserDeletion(request(ok), { id: { type: 'CLIENT_ID', userId: '1234.5678' }, propertyId: '123456789' })).toEqual([]);
  });

  it('refuses what Google refuses', () => {
    expect(validateUserDeletion(request({}), { id: { type: 'USER_ID', userId: 'u' }, propertyId: '1' })).toContain('Authorization: Bearer <oauth token> missing');
    expect(validateUserDeletion(request(ok), { id: { type: 'EMAIL', userId: 'u' }, propertyId: '1' })[0]).toMatch(/id.type must be one of/);
    expect(validateUserDeletion(request(ok), { id: { type: 'USER_ID', userId: 'u' } })).toContain('exactly one of propertyId, webPropertyId, firebaseProjectId');
    expect(validateUserDeletion(request(ok), { id: { type: 'USER_ID', userId: 'u' }, propertyId: 'G-ABC' })).toContain('propertyId must be the numeric GA4 property id');
    expect(validateUserDeletion(request(ok), { id: { type: 'USER_ID', userId: 'u' }, propertyId: '1', deletionRequestTime: 'x' })).toContain('deletionRequestTime is output only');
    expect(validateUserDeletion(request(ok), { id: { type: 'USER_ID', userId: '' }, propertyId: '1', email: 'x' }).length).toBe(2);
  });
});
