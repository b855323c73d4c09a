// The demo shop: products, a cart, checkout with an email, and the "where did my event go" panel.
// Write key and endpoint are the demo site's (seeded into local KV by `npm start`); the SDK reads the
// consent banner (cmp.js) itself and holds events until it answers.
const WRITE_KEY = 'demo_write_key_0001';
sluice.init({ endpoint: location.origin, writeKey: WRITE_KEY, flushIntervalMs: 200, autotrack: true, consent: true, personalize: { model: 'obd-click-lr' } });

// The hero slot is a gateway experiment ("hero"); the page never waits for it.
sluice.decide('hero', { device: matchMedia('(max-width: 600px)').matches ? 'mobile' : 'desktop' }, { defaultArm: 'classic' }).then((decision) => {
  const hero = document.getElementById('hero');
  if (!decision || decision.fallback) return hero.setAttribute('data-fallback', 'true');
  hero.dataset.arm = decision.arm;
  hero.dataset.decision = decision.decisionId;
  if (decision.payload && decision.payload.title) hero.querySelector('h2').textContent = decision.payload.title;
});
const euro = (n) => `€${n.toFixed(2)}`;
const products = window.DEMO_PRODUCTS;
const cart = new Map();
const $ = (id) => document.getElementById(id);

function renderProducts(list) {
  $('products').replaceChildren(
    ...list.map((p) => {
      const li = document.createElement('li');
      li.className = 'product';
      li.dataset.sku = p.sku;
      li.innerHTML = `<h3></h3><p class="price"></p><button type="button">Add to cart</button>`;
      li.querySelector('h3').textContent = p.name;
      li.querySelector('.price').textContent = euro(p.price);
      const button = li.querySelector('button');
      button.setAttribute('aria-label', `Add ${p.name} to cart`);
      button.addEventListener('click', () => addToCart(p));
      return li;
    }),
  );
}

function renderCart() {
  const items = [...cart.values()];
  $('cart-items').replaceChildren(
    ...items.map(({ product, qty }) => {
      const li = document.createElement('li');
      li.textContent = `${qty} × ${product.name} — ${euro(qty * product.price)}`;
      return li;
    }),
  );
  $('cart-total').textContent = euro(cartValue());
  $('buy').disabled = items.length === 0;
}

const cartValue = () => Math.round([...cart.values()].reduce((sum, { product, qty }) => sum + qty * product.price, 0) * 100) / 100;

function addToCart(product) {
  const line = cart.get(product.sku) ?? { product, qty: 0 };
  line.qty += 1;
  cart.set(product.sku, line);
  renderCart();
  watch('AddToCart', sluice.track('AddToCart', { sku: product.sku, value: product.price, currency: 'EUR' }));
}

$('checkout').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = $('email').value;
  const value = cartValue();
  const orderId = `order-${crypto.randomUUID().slice(0, 8)}`;
  const contents = [...cart.values()].map(({ product, qty }) => ({ id: product.sku, quantity: qty, price: product.price }));
  const eventId = sluice.track('Purchase', { value, currency: 'EUR', orderId, contents }, { email });
  // With Meta's pixel on the page: fbq('track', 'Purchase', {...}, { eventID: eventId });
  sluice.reportPixel(eventId, ['meta']);
  watch('Purchase', eventId);
  await sluice.flush();
  cart.clear();
  renderCart();
  $('status').textContent = `Thanks! Purchase ${eventId} sent.`;
});

// ---- Where did my event go? -------------------------------------------------------------------
const FATES = {
  queued: 'queued',
  delivered: 'delivered',
  delivered_limited: 'delivered (limited data use)',
  dropped_by_consent: 'dropped by consent',
  retrying: 'retrying',
  dead_lettered: 'dead-lettered',
  expired: 'expired',
  duplicate: 'duplicate (already delivered)',
};
const FINAL = new Set(['delivered', 'delivered_limited', 'dropped_by_consent', 'dead_lettered', 'expired', 'duplicate']);
const watched = []; // { name, id, polls, fates }

function watch(name, id) {
  watched.unshift({ name, id, polls: 0, fates: null });
  renderFates();
  schedule();
}

let timer;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(poll, 800);
}

async function poll() {
  const open = watched.filter((w) => w.polls < 40 && (!w.fates || Object.values(w.fates).some((f) => !FINAL.has(f.fate)))).slice(0, 50);
  if (open.length === 0) return;
  try {
    const response = await fetch(`/v1/event-fate?key=${WRITE_KEY}&ids=${open.map((w) => w.id).join(',')}`);
    if (response.ok) {
      const { events } = await response.json();
      for (const w of open) {
        w.polls += 1;
        if (events[w.id]) w.fates = events[w.id];
      }
    }
  } catch {
    for (const w of open) w.polls += 1;
  }
  renderFates();
  schedule();
}

function receiptSummary(consent) {
  if (!consent) return '';
  const r = consent.receipt;
  const purposes = Object.entries(r.purposes ?? {}).map(([p, o]) => `${p}: ${o.state} (${o.by})`).join('; ');
  return `rule ${r.rule}; jurisdiction ${r.jurisdiction.id}; policy ${r.policyVersion.slice(0, 12)}; ${purposes}`;
}

function renderFates() {
  $('fate-rows').replaceChildren(
    ...watched.map((w) => {
      const tr = document.createElement('tr');
      tr.dataset.eventId = w.id;
      const name = document.createElement('td');
      name.textContent = w.name;
      const id = document.createElement('td');
      id.innerHTML = '<code></code>';
      id.firstChild.textContent = w.id.slice(0, 8);
      id.title = w.id;
      const fates = document.createElement('td');
      if (!w.fates) {
        const held = w.polls >= 3;
        fates.textContent = held ? 'not at the gateway: held or dropped in this browser by consent' : 'sending…';
        fates.dataset.fate = held ? 'browser' : 'sending';
      } else {
        const list = document.createElement('ul');
        list.className = 'fates';
        for (const [destination, f] of Object.entries(w.fates)) {
          const li = document.createElement('li');
          li.dataset.destination = destination;
          li.dataset.fate = f.fate;
          const badge = document.createElement('span');
          badge.className = `fate fate-${f.fate}`;
          badge.textContent = `${destination}: ${FATES[f.fate] ?? f.fate}`;
          li.append(badge);
          const failure = [...f.attempts].reverse().find((a) => a.reason);
          if (f.fate === 'dead_lettered' && failure) li.append(` — ${failure.reason}`);
          if (f.consent) {
            const details = document.createElement('details');
            details.innerHTML = '<summary>receipt</summary><p></p>';
            details.querySelector('p').textContent = receiptSummary(f.consent);
            li.append(details);
          }
          list.append(li);
        }
        fates.append(list);
      }
      tr.append(name, id, fates);
      return tr;
    }),
  );
}

$('privacy-choices').addEventListener('click', () => window.demoCmp?.show());
renderProducts(products);
renderCart();
