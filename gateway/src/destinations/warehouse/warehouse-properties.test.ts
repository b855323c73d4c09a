import { describe, expect, it } from 'vitest';
import { partitionDate, partitionOf } from './partition-of.ts';
import { warehouseProperties } from './warehouse-properties.ts';

describe('warehouse properties', () => {
  it('drop personal keys and values at any depth, scrub URLs, keep the rest', () => {
    expect(
      warehouseProperties({
        value: 42,
        currency: 'EUR',
        email: 'a@b.io',
        billing_phone: '123',
        note: 'write to a@b.io',
        contact: '+49 30 1234567',
        items: [{ sku: 's-1', owner_email: 'x@y.io' }, 'c@d.io'],
        landing: 'https://shop.example/?email=a%40b.io&utm_source=news',
        gclid: 'keep-me',
      }),
    ).toEqual({ value: 42, currency: 'EUR', items: [{ sku: 's-1' }], landing: 'https://shop.example/?utm_source=news', gclid: 'keep-me' });
  });
});

describe('partitions', () => {
  it('are Hive-style site/date/event with the name percent-encoded', () => {
    const p = partitionOf('shop', { event_time: Date.parse('2026-12-02T23:59:59Z'), event_name: 'Order Completed/EU' });
    expect(p).toBe('site=shop/date=2026-12-02/event=Order%20Completed%2FEU');
    expect(partitionDate(p)).toBe('2026-12-02');
  });
});
