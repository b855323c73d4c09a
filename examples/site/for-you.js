// "For you": the shop's product list ranked in this browser by an on-device model (sluice.rank).
// The visitor's interactions (clicks below) are counted in IndexedDB on this device and never sent;
// only the outcome travels, as ordinary events with the model name and version.
// A block of its own: classic scripts share one global scope with shop.js.
{
  const products = [
    { id: 'lock-87', name: 'Canal lock, 1:87', category: 'models' },
    { id: 'barge-87', name: 'Narrowboat, 1:87', category: 'models' },
    { id: 'bridge-87', name: 'Swing bridge, 1:87', category: 'models' },
    { id: 'map-uk', name: 'Canal map of England', category: 'books' },
    { id: 'guide-nl', name: 'Dutch waterways guide', category: 'books' },
    { id: 'paint-set', name: 'Weathering paint set', category: 'tools' },
    { id: 'glue', name: 'Modelling glue', category: 'tools' },
    { id: 'mug', name: 'Lock keeper mug', category: 'gifts' },
  ];
  const list = document.getElementById('for-you-list');
  const note = document.getElementById('for-you-note');
  const why = document.getElementById('for-you-why');
  const toggle = document.getElementById('for-you-consent');

  async function show() {
    const result = await sluice.rank('for-you', products.map(({ id, category }) => ({ id, category })));
    if (!result) return;
    note.textContent = result.source === 'model'
      ? `Ranked on your device by ${result.model} ${result.version}. Your clicks are counted in this browser only.`
      : `Shown in the shop's own order (${result.source === 'consent' ? 'personalization is off' : result.source}).`;
    list.replaceChildren(...result.items.map((item) => {
      const product = products.find((p) => p.id === item.id);
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link';
      button.textContent = `${product.name} (${product.category})`;
      button.addEventListener('click', () => {
        result.click(item.id);
        sluice.track('Product Viewed', { item_id: item.id, category: item.category });
        setTimeout(show, 50);
      });
      li.append(button);
      return li;
    }));
    why.hidden = result.source !== 'model';
  }

  why.addEventListener('click', async () => {
    const e = await sluice.explain('for-you');
    const out = document.getElementById('for-you-explanation');
    out.textContent = e
      ? `Why "${e.item}" is first (${e.method === 'exact' ? 'exact' : 'approximation'}, computed on this device):\n` +
        e.contributions.map((c) => `  ${c.feature.padEnd(18)} value ${c.value.toFixed(3)}  contribution ${c.contribution >= 0 ? '+' : ''}${c.contribution.toFixed(3)}`).join('\n')
      : 'Nothing to explain yet.';
  });
  toggle.addEventListener('change', () => {
    sluice.setConsent({ personalization: toggle.checked });
    setTimeout(show, 50);
  });
  show();
}
