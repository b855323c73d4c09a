import { startSink, type ReceivedRequest, type RunningSink, type SinkAnswer } from './sink-server.ts';
import { SHA256_HEX, isObject, unknownKeys } from './sink-checks.ts';

const PATH = /^\/v(\d+)\/customers\/(\d{10}):uploadClickConversions$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const CONVERSION_KEYS = ['gclid', 'gbraid', 'wbraid', 'conversionAction', 'conversionDateTime', 'conversionValue', 'currencyCode', 'orderId', 'externalAttributionData', 'customVariables', 'cartData', 'userIdentifiers', 'conversionEnvironment', 'consent', 'userIpAddress', 'sessionAttributesEncoded', 'sessionAttributesKeyValuePairs'];
const BODY_KEYS = ['conversions', 'partialFailure', 'validateOnly', 'debugEnabled', 'jobId'];
/** Conversions per request [unverified], user identifiers per conversion (ClickConversion reference). */
const MAX_CONVERSIONS = 2000;
const MAX_IDENTIFIERS = 5;

/** google.rpc.Status with GoogleAdsFailure details, as the REST interface returns it. */
function adsFailure(httpCode: number, status: string, errors: Array<{ code: Record<string, string>; message: string; index?: number }>) {
  return {
    error: {
      code: httpCode,
      message: errors[0]?.message ?? status,
      status,
      details: [
        {
          '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
          errors: errors.map((e) => ({
            errorCode: e.code,
            message: e.message,
            ...(e.index === undefined ? {} : { location: { fieldPathElements: [{ fieldName: 'conversions', index: e.index }] } }),
          })),
        },
      ],
    },
  };
}

/** Problems of one ClickConversion (row-level: reported as a partial failure). */
export function conversionProblems(conversion: unknown, customerId: string): string[] {
  if (!isObject(conversion)) return ['conversion must be an object'];
  const problems = unknownKeys(conversion, CONVERSION_KEYS, '');
  const clickIds = ['gclid', 'gbraid', 'wbraid'].filter((k) => conversion[k] !== undefined);
  if (clickIds.length > 1) problems.push('only one of gclid, gbraid, wbraid may be set');
  if (!clickIds.length && !Array.isArray(conversion.userIdentifiers)) problems.push('a click id or user identifiers are required');
  if (typeof conversion.conversionAction !== 'string' || !conversion.conversionAction.startsWith(`customers/${customerId}/conversionActions/`)) {
    problems.push('conversionAction must be customers/{customer}/conversionActions/{id} of this customer');
  }
  if (typeof conversion.conversionDateTime !== 'string' || !DATE_TIME.test(conversion.conversionDateTime)) {
    problems.push('conversionDateTime must be "yyyy-mm-dd hh:mm:ss+|-hh:mm"');
  }
  if (conversion.conversionValue !== undefined && typeof conversion.conversionValue !== 'number') problems.push('conversionValue must be a number');
  if (conversion.currencyCode !== undefined && !/^[A-Z]{3}$/.test(String(conversion.currencyCode))) problems.push('currencyCode must be ISO 4217');
  if (conversion.orderId !== undefined && typeof conversion.orderId !== 'string') problems.push('orderId must be a string');
  if (conversion.userIdentifiers !== undefined) {
    const ids = conversion.userIdentifiers;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_IDENTIFIERS) problems.push(`userIdentifiers must be 1..${MAX_IDENTIFIERS}`);
    else
      ids.forEach((id, i) => {
        const keys = isObject(id) ? Object.keys(id).filter((k) => k !== 'userIdentifierSource') : [];
        if (keys.length !== 1 || !['hashedEmail', 'hashedPhoneNumber'].includes(keys[0]!)) problems.push(`userIdentifiers[${i}] must hold hashedEmail or hashedPhoneNumber`);
        else if (!SHA256_HEX.test(String((id as Record<string, unknown>)[keys[0]!]))) problems.push(`userIdentifiers[${i}].${keys[0]} must be SHA-256 hex`);
      });
  }
  const consent = conversion.consent;
  if (consent !== undefined && (!isObject(consent) || !['GRANTED', 'DENIED', 'UNSPECIFIED'].includes(String(consent.adUserData)))) {
    problems.push('consent.adUserData must be GRANTED or DENIED');
  }
  if (isObject(consent) && consent.adPersonalization !== undefined) problems.push('consent.adPersonalization cannot be set for conversions');
  return problems;
}

/**
 * Starts a local Google Ads API (`uploadClickConversions`) plus its OAuth2 token endpoint (`/token`)
 * on 127.0.0.1. Request-level problems answer 400 with a GoogleAdsFailure; row problems come back
 * as `partialFailureError` with HTTP 200, as Google does with `partialFailure: true`.
 */
export function startGoogleAdsSink(port?: number): Promise<RunningSink> {
  const issued = new Set<string>();
  let next = 0;
  return startSink({
    name: 'google-ads',
    port,
    answer: (request, json): SinkAnswer => {
      if (request.path === '/token') return tokenAnswer(request, issued, () => `sink-access-token-${++next}`);
      const match = PATH.exec(request.path);
      if (!match) return { status: 404, body: adsFailure(404, 'NOT_FOUND', []), problems: [`no route ${request.path}`] };
      const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!issued.has(bearer)) {
        const problems = ['access token missing or not issued by /token'];
        return { status: 401, body: adsFailure(401, 'UNAUTHENTICATED', [{ code: { authenticationError: 'OAUTH_TOKEN_INVALID' }, message: problems[0]! }]), problems };
      }
      const problems: string[] = [];
      if (!request.headers['developer-token']) problems.push('developer-token header missing');
      if (!isObject(json)) problems.push('body must be a JSON object');
      else {
        problems.push(...unknownKeys(json, BODY_KEYS, ''));
        if (json.partialFailure !== true) problems.push('partialFailure must be true');
        if (!Array.isArray(json.conversions) || json.conversions.length === 0 || json.conversions.length > MAX_CONVERSIONS) {
          problems.push(`conversions must be an array of 1..${MAX_CONVERSIONS}`);
        }
      }
      if (problems.length) {
        const body = adsFailure(400, 'INVALID_ARGUMENT', problems.map((message) => ({ code: { requestError: 'INVALID_INPUT' }, message })));
        return { status: 400, body, problems };
      }
      const conversions = (json as { conversions: unknown[] }).conversions;
      const rows = conversions.flatMap((c, index) => conversionProblems(c, match[2]!).map((message) => ({ code: { conversionUploadError: 'INVALID_CONVERSION' }, message, index })));
      const results = conversions.map((c, index) => (rows.some((r) => r.index === index) ? {} : { conversionAction: (c as Record<string, unknown>).conversionAction }));
      const body = rows.length ? { partialFailureError: adsFailure(400, 'INVALID_ARGUMENT', rows).error, results } : { results };
      return { status: 200, body, problems: rows.map((r) => `conversions[${r.index}] ${r.message}`) };
    },
    errors: {
      throttle: () => ({ status: 429, body: adsFailure(429, 'RESOURCE_EXHAUSTED', [{ code: { quotaError: 'RESOURCE_EXHAUSTED' }, message: 'Too many requests.' }]), headers: { 'retry-after': '1' } }),
      server: () => ({ status: 500, body: adsFailure(500, 'INTERNAL', [{ code: { internalError: 'TRANSIENT_ERROR' }, message: 'Transient error.' }]) }),
      permanent: () => ({ status: 400, body: adsFailure(400, 'INVALID_ARGUMENT', [{ code: { requestError: 'INVALID_INPUT' }, message: 'Invalid input.' }]) }),
    },
  });
}

/** OAuth2 refresh-token grant (RFC 6749 §6). */
function tokenAnswer(request: ReceivedRequest, issued: Set<string>, mint: () => string): SinkAnswer {
  const form = new URLSearchParams(request.body);
  const problems: string[] = [];
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) problems.push('token request must be form-encoded');
  if (form.get('grant_type') !== 'refresh_token') problems.push('grant_type must be refresh_token');
  for (const k of ['client_id', 'client_secret', 'refresh_token']) if (!form.get(k)) problems.push(`${k} missing`);
  if (problems.length) return { status: 400, body: { error: 'invalid_request', error_description: problems.join('; ') }, problems };
  const token = mint();
  issued.add(token);
  return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/adwords' }, problems };
}
