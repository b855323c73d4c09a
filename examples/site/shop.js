// The demo shop: page views (autotrack), a Purchase with the buyer's email on checkout, and the
// same event id handed to a (pretend) Meta pixel so the gateway's dedup audit can see it.
// Write key and endpoint are the demo site's (seeded into local KV by `npm start`).
sluice.init({ endpoint: location.origin, writeKey: 'demo_write_key_0001', flushIntervalMs: 200, autotrack: true });

// The hero slot is a gateway experiment ("hero"); the page never waits for it.
sluice.decide('hero', { device: matchMedia('(max-width: 600px)').matches ? 'mobile' : 'desktop' }, { defaultArm: 'classic' }).then((decision) => {
  const hero = document.getElementById('hero');
  if (!decision || decision.fallback) return hero.setAttribute('data-fallback', 'true');
  hero.dataset.arm = decision.arm;
  hero.dataset.decision = decision.decisionId;
  if (decision.payload && decision.payload.title) hero.querySelector('h2').textContent = decision.payload.title;
});

document.getElementById('checkout').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('email').value;
  const eventId = sluice.track('Purchase', { value: 42.5, currency: 'EUR', orderId: 'order-1001' }, { email });
  // With Meta's pixel on the page: fbq('track', 'Purchase', {...}, { eventID: eventId });
  sluice.reportPixel(eventId, ['meta']);
  await sluice.flush();
  document.getElementById('status').textContent = `Thanks! Purchase ${eventId} sent.`;
});
