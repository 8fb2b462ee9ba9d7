import { describe, expect, it } from 'vitest';
import { isPoEditable, onTimePercent, openToReceive, statusAfterReceipt, transitionPo } from './model.js';

describe('purchase order rules', () => {
  it('[P11.10f] moves only through declared transitions and names what is possible otherwise', () => {
    expect(transitionPo({ number: 'PO-1', status: 'draft' }, 'approve')).toBe('approved');
    expect(transitionPo({ number: 'PO-1', status: 'approved' }, 'send')).toBe('sent');
    expect(() => transitionPo({ number: 'PO-1', status: 'draft' }, 'send')).toThrow(
      /PO-1 is draft: cannot send \(possible: approve, cancel\)/,
    );
    expect(() => transitionPo({ number: 'PO-1', status: 'closed' }, 'cancel')).toThrow(/possible: none/);
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
    expect(statusAfterReceipt([line('10', '10'), line('5', '2')])).toBe('receivePart');
    expect(statusAfterReceipt([line('10', '10.5'), line('5', '5')])).toBe('receiveAll');
  });

  it('reports on-time delivery as a percentage with two decimals', () => {
    expect(onTimePercent(2, 3)).toBe('66.67');
    expect(onTimePercent(0, 4)).toBe('0.00');
    expect(onTimePercent(0, 0)).toBeNull();
  });
});
