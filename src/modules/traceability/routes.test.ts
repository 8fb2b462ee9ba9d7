import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../../platform/db/index.js';
import { GS } from './gs1.js';

let db: Database;
let app: FastifyInstance;
beforeAll(async () => {
  db = await testDatabase();
  const t = await testTenant(db);
  app = await testApp(db, {
    callers: { picker: { tenantId: t.tenant.id, actor: { kind: 'user', id: t.tenant.id, name: 'Picker' }, permissions: ['auth:self'] } },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const scan = (text: string) =>
  app.inject({ method: 'GET', url: `/api/v1/traceability/scan?scan=${encodeURIComponent(text)}`, headers: { 'x-test-caller': 'picker' } });

describe('GET /traceability/scan', () => {
  it('[Q.LBL] decodes what a scanner sends, group separators included, into the UDI and its printed form', async () => {
    const res = await scan(`]d20109506000134352${GS}21SN0001${GS}10LOT-4711${GS}17280630${GS}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      form: 'elementString',
      data: { gtin: '09506000134352', serial: 'SN0001', batch: 'LOT-4711', expiryDate: '2028-06-30' },
      humanReadable: '(01)09506000134352(17)280630(10)LOT-4711(21)SN0001',
    });
  });

  it('refuses other control characters and invalid GS1 data, naming the field or the rule', async () => {
    const nul = await scan('(01)09506000134352\u0000');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors).toEqual([expect.objectContaining({ pointer: '/query/scan', code: 'error.input.controlCharacter' })]);
    const wrongCheckDigit = await scan('(01)09506000134353(10)LOT-1');
    expect(wrongCheckDigit.statusCode).toBe(400);
    expect(wrongCheckDigit.json().code).toMatch(/^error\.gs1\./);
  });
});
