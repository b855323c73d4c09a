/**
 * Calls `onPage(referrer)` for the landing page and for every SPA navigation (pushState,
 * replaceState that changes the URL, popstate), with the previous URL as the referrer so the
 * referrer chain stays right inside a single-page app.
 */
export function autotrackPageViews(onPage: (referrer: string) => void): void {
  let last = location.href;
  const navigated = () => {
    if (location.href === last) return;
    const referrer = last;
    last = location.href;
    onPage(referrer);
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      try {
        navigated();
      } catch {
        // never break the app's navigation
      }
      return result;
    };
  }
  addEventListener('popstate', navigated);
  onPage(document.referrer);
}
