import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateEpcisDocument } from './epcis-validate.js';

// Public EPCIS 2.0 test documents (openepcis-test-resources), read where they are kept, never copied.
const REFERENCE = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/reference/epcis-openepcis');
const present = existsSync(REFERENCE);
const files = (dir: string) => (present ? readdirSync(join(REFERENCE, dir)).filter((f) => f.endsWith('.json')) : []);
const read = (dir: string, f: string): unknown => JSON.parse(readFileSync(join(REFERENCE, dir, f), 'utf8'));

const minimal = () => ({
  '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-07-22T10:30:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventTime: '2026-07-22T06:45:00+02:00',
        eventTimeZoneOffset: '+02:00',
        action: 'OBSERVE',
        bizStep: 'receiving',
        epcList: ['https://id.gs1.org/01/09521141012345/21/2017'],
      },
    ],
  },
});

describe('validateEpcisDocument', () => {
  it('accepts a minimal document and names every problem at once, each with its JSON pointer', () => {
    expect(validateEpcisDocument(minimal())).toEqual([]);
    const doc = minimal();
    doc.schemaVersion = '1.2';
    const e: Record<string, unknown> = doc.epcisBody.eventList[0]!;
    e.action = 'MOVE';
    e.eventTime = '2026-07-22 06:45';
    e.bizStep = 'teleporting';
    e.quantityList = [{ epcClass: 'not a uri', quantity: 'ten', uom: 'kilograms' }];
    e.bizTransactionList = [{ type: 'po', bizTransaction: 'PO 42' }];
    e.colour = 'red';
    expect(validateEpcisDocument(doc).map((p) => [p.pointer, p.code])).toEqual([
      ['/schemaVersion', 'error.epcis.value'],
      ['/epcisBody/eventList/0/colour', 'error.epcis.unknownField'],
      ['/epcisBody/eventList/0/eventTime', 'error.epcis.dateTime'],
      ['/epcisBody/eventList/0/bizStep', 'error.epcis.cbv'],
      ['/epcisBody/eventList/0/bizTransactionList/0/bizTransaction', 'error.epcis.uri'],
      ['/epcisBody/eventList/0/action', 'error.epcis.value'],
      ['/epcisBody/eventList/0/quantityList/0/epcClass', 'error.epcis.uri'],
      ['/epcisBody/eventList/0/quantityList/0/quantity', 'error.epcis.type'],
      ['/epcisBody/eventList/0/quantityList/0/uom', 'error.epcis.value'],
    ]);
  });

  it('requires per event type what the standard requires', () => {
    const base = { eventTime: '2026-07-22T06:45:00Z', eventTimeZoneOffset: '+00:00' };
    const doc = minimal();
    doc.epcisBody.eventList = [
      { type: 'AggregationEvent', action: 'ADD', childEPCs: [] },
      { type: 'TransactionEvent', action: 'ADD', epcList: [] },
      { type: 'AssociationEvent', action: 'ADD' },
      { type: 'TransformationEvent' },
      { type: 'ObjectEvent', action: 'OBSERVE', epcList: [], ilmd: { 'cbvmda:lotNumber': 'L1' } },
      { type: 'SomethingEvent' },
    ].map((e) => ({ ...base, ...e })) as never;
    expect(validateEpcisDocument(doc).map((p) => [p.pointer, p.code])).toEqual([
      ['/epcisBody/eventList/0/parentID', 'error.epcis.required'],
      ['/epcisBody/eventList/1/bizTransactionList', 'error.epcis.required'],
      ['/epcisBody/eventList/2/parentID', 'error.epcis.required'],
      ['/epcisBody/eventList/3/inputEPCList', 'error.epcis.identifiers'],
      ['/epcisBody/eventList/4/ilmd', 'error.epcis.value'],
      ['/epcisBody/eventList/5/type', 'error.epcis.value'],
    ]);
  });

  it('refuses what is not a document', () => {
    expect(validateEpcisDocument([])[0]).toMatchObject({ pointer: '', code: 'error.epcis.notObject' });
    expect(validateEpcisDocument({ '@context': 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld', type: 'Invoice' })).toEqual([
      expect.objectContaining({ pointer: '/type', code: 'error.epcis.value' }),
    ]);
  });
});

describe.skipIf(!present)(
  `EPCIS 2.0 reference documents (${present ? REFERENCE : 'skipped: ../shared/reference/epcis-openepcis is absent'})`,
  () => {
    it.each([...files('Documents').map((f) => ['Documents', f]), ...files('Events').map((f) => ['Events', f])])(
      '[Q.TRC] the valid reference %s/%s passes the reader',
      (dir, f) => {
        expect(validateEpcisDocument(read(dir, f))).toEqual([]);
      },
    );

    it.each(files('Invalid'))('[Q.TRC] the invalid reference %s fails the reader', (f) => {
      expect(validateEpcisDocument(read('Invalid', f)).length).toBeGreaterThan(0);
    });

    it('fails the five invalid only when URI formats are checked: non-CBV words are not URIs, ilmd names need a namespace', () => {
      const first = (f: string) => validateEpcisDocument(read('Invalid', f))[0]?.code;
      expect(first('ObjectEvent_with_non_standard_bizStep.json')).toBe('error.epcis.cbv');
      expect(first('ObjectEvent_with_non_standard_bizStep_in_second_event.json')).toBe('error.epcis.cbv');
      expect(first('ObjectEvent_with_non_standard_disposition.json')).toBe('error.epcis.cbv');
      expect(first('Combination_of_non_standard_bizStep_and_disposition.json')).toBe('error.epcis.cbv');
      expect(first('ObjectEvent_with_ilmd_field_without_namespace.json')).toBe('error.epcis.unknownField');
    });

    it("accepts SensorData_with_combined_events.json, which GS1's schema refuses: this reader leaves sensor reports' detail unchecked", () => {
      expect(files('Documents')).toContain('SensorData_with_combined_events.json');
      expect(validateEpcisDocument(read('Documents', 'SensorData_with_combined_events.json'))).toEqual([]);
    });
  },
);
