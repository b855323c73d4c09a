// The demo shop: a page view on load, a Purchase with the buyer's email on checkout.
// Write key and endpoint are the demo site's (seeded into local KV by `npm start`).
sluice.init({ endpoint: location.origin, writeKey: 'demo_write_key_0001', flushIntervalMs: 200 });
sluice.page('Product');

document.getElementById('checkout').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('email').value;
  const eventId = sluice.track('Purchase', { value: 42.5, currency: 'EUR', orderId: 'order-1001' }, { email });
  await sluice.flush();
  document.getElementById('status').textContent = `Thanks! Purchase ${eventId} sent.`;
});
