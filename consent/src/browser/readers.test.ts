import { describe, expect, it } from 'vitest';
import { readTcf } from './read-tcf.ts';
import { readGpp } from './read-gpp.ts';
import { readConsentMode } from './read-consent-mode.ts';
import type { BrowserSignals } from './browser-signals.ts';

/** Plays a CMP: the reader under test is real; only the page's CMP is scripted. */
function tcfPage() {
  let listener: ((data: unknown, success: boolean) => void) | undefined;
  const removed: number[] = [];
  const win = {
    __tcfapi: (command: string, _v: number, callback: (data: unknown, success: boolean) => void, param?: number) => {
      if (command === 'addEventListener') listener = callback;
      if (command === 'removeEventListener') removed.push(param!);
    },
  } as unknown as Window;
  return { win, emit: (data: object) => listener?.({ listenerId: 4, ...data }, true), removed };
}

describe('CMP readers', () => {
  it('TCF: acts on tcloaded / useractioncomplete only, never on cmpuishown, and unsubscribes', () => {
    const { win, emit, removed } = tcfPage();
    const seen: Array<Partial<BrowserSignals>> = [];
    const stop = readTcf(win, (s) => seen.push(s));
    emit({ eventStatus: 'cmpuishown', tcString: 'CQ-shown', purpose: { consents: {} } });
    expect(seen).toEqual([]);
    emit({ eventStatus: 'useractioncomplete', tcString: 'CQ-final', gdprApplies: true, purpose: { consents: { 1: true, 2: false, 7: true }, legitimateInterests: { 7: true } } });
    expect(seen).toEqual([{ tcf: { tcString: 'CQ-final', gdprApplies: true, purposeConsents: [1, 7], purposeLegitimateInterests: [7] } }]);
    stop();
    expect(removed).toEqual([4]);
  });

  it('TCF / GPP: no CMP on the page is a no-op, a throwing CMP never throws into the page', () => {
    expect(() => readTcf({} as Window, () => undefined)()).not.toThrow();
    const broken = { __tcfapi: () => { throw new Error('cmp bug'); }, __gpp: () => { throw new Error('cmp bug'); } } as unknown as Window;
    expect(() => readTcf(broken, () => undefined)).not.toThrow();
    expect(() => readGpp(broken, () => undefined)).not.toThrow();
  });

  it('GPP: reports only when signalStatus is ready', () => {
    let listener: ((data: unknown, success: boolean) => void) | undefined;
    const win = { __gpp: (command: string, cb: typeof listener) => command === 'addEventListener' && (listener = cb) } as unknown as Window;
    const seen: Array<Partial<BrowserSignals>> = [];
    readGpp(win, (s) => seen.push(s));
    listener!({ eventName: 'signalStatus', pingData: { signalStatus: 'not ready', gppString: 'DBABLA~old' } }, true);
    listener!({ eventName: 'sectionChange', pingData: { signalStatus: 'ready', gppString: 'DBABLA~new', applicableSections: [7], parsedSections: { usnat: { SaleOptOut: 1 } } } }, true);
    expect(seen).toEqual([{ gpp: { gppString: 'DBABLA~new', applicableSections: [7], sections: { usnat: { SaleOptOut: 1 } } } }]);
  });

  it('Consent Mode: replays gtag default/update already on dataLayer and observes later updates', () => {
    function gtag(..._args: unknown[]) {
      // gtag pushes its `arguments` object, not an array.
      win.dataLayer.push(arguments);
    }
    const win = { dataLayer: [] as unknown[] };
    gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', analytics_storage: 'granted', wait_for_update: 500 });
    gtag('event', 'page_view');
    const seen: Array<Partial<BrowserSignals>> = [];
    const stop = readConsentMode(win as unknown as Window, (s) => seen.push(s));
    expect(seen).toEqual([{ consentMode: { ad_storage: 'denied', ad_user_data: 'denied', analytics_storage: 'granted' } }]);
    gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' });
    expect(seen[1]).toEqual({ consentMode: { ad_storage: 'granted', ad_user_data: 'granted', analytics_storage: 'granted' } });
    stop();
    gtag('consent', 'update', { ad_storage: 'denied' });
    expect(seen).toHaveLength(2);
  });
});
