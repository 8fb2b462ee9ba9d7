import { type Static, Type } from 'typebox';
import { IsoDate } from '../../platform/schema.js';

/**
 * Traceability's contract: what a scanned GS1 data carrier says (UDI device identifier and
 * production identifiers), as the scan endpoint answers it and scan fields use it.
 */

/** Where a scanned text came from: a barcode's element string, its printed form, or a GS1 Digital Link URI. */
export const SCAN_FORMS = ['elementString', 'humanReadable', 'digitalLink'] as const;
export type ScanForm = (typeof SCAN_FORMS)[number];

export const ScanQuery = Type.Object(
  {
    scan: Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'what the scanner sent: element string (group separators %1D allowed, a trailing one too), printed form or Digital Link URI',
    }),
  },
  { additionalProperties: false },
);

export const Gs1DataSchema = Type.Object({
  sscc: Type.Optional(Type.String({ description: '(00)' })),
  gtin: Type.Optional(Type.String({ description: '(01) the device identifier (UDI-DI)' })),
  contentGtin: Type.Optional(Type.String({ description: '(02)' })),
  batch: Type.Optional(Type.String({ description: '(10) lot' })),
  productionDate: Type.Optional(IsoDate),
  expiryDate: Type.Optional(IsoDate),
  serial: Type.Optional(Type.String({ description: '(21)' })),
  variableCount: Type.Optional(Type.Integer({ description: '(30)' })),
  count: Type.Optional(Type.Integer({ description: '(37)' })),
  expiryDateTime: Type.Optional(Type.String({ description: '(7003) YYYY-MM-DDTHH:MM' })),
  elements: Type.Optional(
    Type.Array(
      Type.Object({
        ai: Type.String({ description: 'GS1 application identifier, e.g. "3103"' }),
        value: Type.String({ description: 'the data as carried in the barcode' }),
        title: Type.String({ description: 'GS1 data title, e.g. "NET WEIGHT (kg)"' }),
        decimal: Type.Optional(Type.String({ description: 'for AIs placing a decimal point: the number, e.g. "1.250"' })),
      }),
      { description: 'every element read, in the order read' },
    ),
  ),
});

export const ScanResult = Type.Object({
  form: Type.Enum(SCAN_FORMS),
  data: Gs1DataSchema,
  humanReadable: Type.String({ description: 'the (AI)value form printed under a barcode' }),
  digitalLink: Type.Union([Type.String(), Type.Null()], { description: 'the GS1 Digital Link URI, when the data has a primary key' }),
});
export type ScanResult = Static<typeof ScanResult>;
