import { describe, expect, it } from 'vitest';
import { warehouseRetentionDays } from './maintain-warehouses.ts';

describe('warehouse retention', () => {
  it('is the destination’s own (default 400 days), shortened by the policy’s retention.warehouse', () => {
    expect(warehouseRetentionDays({ type: 'warehouse' }, undefined)).toBe(400);
    expect(warehouseRetentionDays({ type: 'warehouse', retention: 'P90D' }, undefined)).toBe(90);
    expect(warehouseRetentionDays({ type: 'warehouse', retention: 'P90D' }, 'P30D')).toBe(30);
    expect(warehouseRetentionDays({ type: 'warehouse', retention: 'P30D' }, 'P1Y')).toBe(30);
    expect(warehouseRetentionDays({ type: 'warehouse' }, 'P13M')).toBe(390);
  });
});
