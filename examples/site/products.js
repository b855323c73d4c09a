// The demo shop's catalogue. shop.js renders it into #products in this order; on-device ranking
// (personalization) reorders the same array before rendering.
window.DEMO_PRODUCTS = [
  { sku: 'lock-187', name: 'Canal lock, 1:87 scale', category: 'models', price: 42.5 },
  { sku: 'gate-kit', name: 'Sluice gate kit', category: 'models', price: 18.9 },
  { sku: 'barge-ho', name: 'Narrowboat, H0', category: 'boats', price: 64.0 },
  { sku: 'lamp-lck', name: 'Lock-keeper’s lamp', category: 'lighting', price: 12.75 },
  { sku: 'map-1850', name: 'Canal map, 1850 reprint', category: 'prints', price: 9.5 },
  { sku: 'rope-set', name: 'Mooring rope set', category: 'boats', price: 7.2 },
];
