import { describe, expect, it } from 'vitest';
import { decodeTcString } from './tcf/decode-tc-string.ts';
import { validateTcData } from './tcf/validate-tc-data.ts';
import { decodeGppString } from './gpp/decode-gpp-string.ts';
import tcfValid from '../fixtures/tcf-valid.json' with { type: 'json' };
import gppValid from '../fixtures/gpp-valid.json' with { type: 'json' };

/**
 * Language-neutral conformance files (consent/fixtures/*.json): inputs encoded by the IAB's own
 * encoders, expected values pinned once and cross-checked by the differential tests. Any other
 * implementation (a future SDK-side decoder, another language) must pass the same files.
 */
describe('conformance fixtures', () => {
  it.each(tcfValid)('TCF: $name', ({ input, expected, validity }) => {
    const decoded = decodeTcString(input);
    expect(decoded).toEqual({ ok: true, value: expected });
    if (decoded.ok) expect(validateTcData(decoded.value)).toEqual(validity);
  });

  it.each(gppValid)('GPP: $name', ({ input, expected }) => {
    expect(decodeGppString(input)).toEqual({ ok: true, value: expected });
  });
});
