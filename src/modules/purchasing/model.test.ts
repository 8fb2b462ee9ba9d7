import { describe, expect, it } from 'vitest';
import { isPoEditable, onTimePercent, openToReceive, purchaseOrderLifecycle, statusAfterReceipt } from './model.js';

describe('purchase order rules', () => {
  it('[P11.10f] moves only through declared transitions: approval is signed, receiving follows sending', () => {
    expect(purchaseOrderLifecycle.transition('draft', 'approved').signature?.meaning).toBe('approved');
    expect(purchaseOrderLifecycle.allowedFrom('draft')).toEqual(['approved', 'cancelled']);
    expect(() => purchaseOrderLifecycle.transition('draft', 'sent', 'PO-1')).toThrow(
      /PO-1 is draft and cannot move to sent; allowed from draft: approved, cancelled/,
    );
    expect(() => purchaseOrderLifecycle.transition('approved', 'received')).toThrow(/cannot move to received/);
    expect(purchaseOrderLifecycle.allowedFrom('closed')).toEqual([]);
  });

  it('keeps lines editable only in draft', () => {
    expect(isPoEditable({ status: 'draft' })).toBe(true);
    expect(isPoEditable({ status: 'approved' })).toBe(false);
  });

  it('limits receiving to the ordered quantity plus the tolerance, in exact decimals', () => {
    expect(openToReceive({ quantity: '100', receivedQuantity: '0', overReceiptTolerancePct: '0' }).toFixed()).toBe('100');
    expect(openToReceive({ quantity: '100', receivedQuantity: '60.5', overReceiptTolerancePct: '2.5' }).toFixed()).toBe('42');
    expect(openToReceive({ quantity: '0.3', receivedQuantity: '0.1', overReceiptTolerancePct: '0' }).toFixed()).toBe('0.2');
    expect(openToReceive({ quantity: '10', receivedQuantity: '10.5', overReceiptTolerancePct: '10' }).toFixed()).toBe('0.5');
    expect(openToReceive({ quantity: '10', receivedQuantity: '11', overReceiptTolerancePct: '10' }).toFixed()).toBe('0');
  });

  it('is received when every line has its ordered quantity, partially received before', () => {
    const line = (quantity: string, receivedQuantity: string) => ({ quantity, receivedQuantity });
    expect(statusAfterReceipt([line('10', '10'), line('5', '2')])).toBe('partially_received');
    expect(statusAfterReceipt([line('10', '10.5'), line('5', '5')])).toBe('received');
  });

  it('reports on-time delivery as a percentage with two decimals', () => {
    expect(onTimePercent(2, 3)).toBe('66.67');
    expect(onTimePercent(0, 4)).toBe('0.00');
    expect(onTimePercent(0, 0)).toBeNull();
  });
});
