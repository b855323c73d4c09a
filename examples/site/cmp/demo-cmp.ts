/**
 * The demo shop's consent banner: a real IAB TCF v2 CMP (`@iabtechlabtcf/cmpapi` answers
 * `__tcfapi`, `@iabtechlabtcf/core` encodes the TC string) with accept / reject / customize.
 * Bundled by scripts/build-assets.mjs into /demo/cmp.js. The vendor list is the test fixture GVL
 * (a real CMP loads the IAB's current one); the choice is kept in localStorage for the demo.
 */
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';
import gvlJson from '../../../consent/fixtures/gvl-test.json' with { type: 'json' };

const STORAGE_KEY = 'sluice-demo-tcf';
/** Purposes per choice the banner offers, in TCF purpose ids (matching consent/policies/example-global.json). */
export const CHOICES = {
  measurement: { label: 'Measurement', help: 'Count visits and purchases (TCF purposes 1, 7, 8, 9)', purposes: [1, 7, 8, 9] },
  advertising: { label: 'Advertising', help: 'Send conversions to ad platforms (TCF purposes 1–4, 7)', purposes: [1, 2, 3, 4, 7] },
  personalization: { label: 'Personalization', help: 'Rank products for you on this device (TCF purposes 1, 5, 6, 11)', purposes: [1, 5, 6, 11] },
} as const;
type Choice = keyof typeof CHOICES;
/** Google (755) is in the fixture GVL: the example policy checks its vendor consent for Google Ads. */
const VENDORS = [755];

const cmp = new CmpApi(10, 2, true);

function encode(granted: Choice[]): string {
  const model = new TCModel(new GVL(structuredClone(gvlJson) as never));
  model.cmpId = 10;
  model.cmpVersion = 2;
  model.consentScreen = 1;
  model.isServiceSpecific = true;
  const purposes = [...new Set(granted.flatMap((c) => CHOICES[c].purposes))];
  model.purposeConsents.set(purposes);
  model.purposeLegitimateInterests.set([]);
  if (granted.length) {
    model.vendorConsents.set(VENDORS);
    model.vendorsDisclosed.set(VENDORS);
  }
  model.created = model.lastUpdated = new Date();
  return TCString.encode(model, { segments: ['core', 'vendorsDisclosed'] } as never);
}

function stored(): { tc: string; granted: Choice[] } | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as { tc: string; granted: Choice[] }) : null;
  } catch {
    return null;
  }
}

function decide(granted: Choice[]): void {
  const tc = encode(granted);
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ tc, granted }));
  cmp.update(tc, false);
  hide();
  document.dispatchEvent(new CustomEvent('demo-consent', { detail: { granted } }));
}

function banner(): HTMLElement {
  let el = document.getElementById('cmp-banner');
  if (el) return el;
  el = document.createElement('section');
  el.id = 'cmp-banner';
  el.setAttribute('role', 'dialog');
  el.setAttribute('aria-labelledby', 'cmp-title');
  el.setAttribute('aria-describedby', 'cmp-text');
  const current = stored()?.granted ?? [];
  el.innerHTML = `
    <h2 id="cmp-title">Your privacy choices</h2>
    <p id="cmp-text">This demo shop sends events through the Sluice gateway, which decides again, per destination, what your choice allows. Nothing is sent to ad platforms without your consent.</p>
    <form id="cmp-custom" hidden>
      <fieldset><legend>Allow</legend>
      ${(Object.keys(CHOICES) as Choice[])
        .map((c) => `<label><input type="checkbox" name="${c}" ${current.includes(c) ? 'checked' : ''}> ${CHOICES[c].label} <small>${CHOICES[c].help}</small></label>`)
        .join('')}
      </fieldset>
      <button type="submit" id="cmp-save">Save my choices</button>
    </form>
    <div class="cmp-actions">
      <button type="button" id="cmp-accept">Accept all</button>
      <button type="button" id="cmp-reject">Reject all</button>
      <button type="button" id="cmp-customize" aria-controls="cmp-custom" aria-expanded="false">Customize</button>
    </div>`;
  document.body.append(el);
  el.querySelector('#cmp-accept')!.addEventListener('click', () => decide(Object.keys(CHOICES) as Choice[]));
  el.querySelector('#cmp-reject')!.addEventListener('click', () => decide([]));
  el.querySelector('#cmp-customize')!.addEventListener('click', (e) => {
    const form = el!.querySelector<HTMLFormElement>('#cmp-custom')!;
    form.hidden = !form.hidden;
    (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) form.querySelector<HTMLInputElement>('input')?.focus();
  });
  el.querySelector('#cmp-custom')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    decide((Object.keys(CHOICES) as Choice[]).filter((c) => (form.elements.namedItem(c) as HTMLInputElement).checked));
  });
  return el;
}

function show(): void {
  const el = banner();
  el.hidden = false;
  el.querySelector<HTMLButtonElement>('#cmp-accept')?.focus();
}

function hide(): void {
  const el = document.getElementById('cmp-banner');
  if (el) el.hidden = true;
}

/** Reopens the banner (the footer's "Privacy choices" link). */
(window as unknown as { demoCmp: unknown }).demoCmp = { show, choices: () => stored()?.granted ?? null };

const previous = stored();
if (previous) cmp.update(previous.tc, false);
else {
  cmp.update('', true);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
}
