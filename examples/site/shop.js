// The demo shop: page views (autotrack), a Purchase with the buyer's email on checkout, and the
// same event id handed to a (pretend) Meta pixel so the gateway's dedup audit can see it.
// Write key and endpoint are the demo site's (seeded into local KV by `npm start`).
sluice.init({ endpoint: location.origin, writeKey: 'demo_write_key_0001', flushIntervalMs: 200, autotrack: true, personalize: { model: 'obd-click-lr' } });

document.getElementById('checkout').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('email').value;
  const eventId = sluice.track('Purchase', { value: 42.5, currency: 'EUR', orderId: 'order-1001' }, { email });
  // With Meta's pixel on the page: fbq('track', 'Purchase', {...}, { eventID: eventId });
  sluice.reportPixel(eventId, ['meta']);
  await sluice.flush();
  document.getElementById('status').textContent = `Thanks! Purchase ${eventId} sent.`;
});
