import { type Static, Type } from 'typebox';
import { definePermissions } from '../../platform/contract.js';
import { Id, IsoDate } from '../../platform/schema.js';

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

const permissions = definePermissions({
  read: {
    name: 'traceability:read',
    description: "Export a lot's or serial's history as an EPCIS 2.0 document (with its orders, suppliers and customers)",
  },
});
export const TRACEABILITY_PERMISSIONS = permissions.names;
export const TRACEABILITY_PERMISSION_LIST = permissions.list;

/** Which history to export: a lot or serial by id, or a serial by its number (and GTIN when several items share it). */
export const EpcisQuery = Type.Object(
  {
    lot: Type.Optional(Id),
    serial: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the serial number' })),
    gtin: Type.Optional(Type.String({ pattern: '^[0-9]{14}$', description: 'GTIN-14 of the serial, when several items use the number' })),
  },
  { additionalProperties: false },
);
export type EpcisQuery = Static<typeof EpcisQuery>;

/** An EPCIS document to check: JSON-LD, read as it is (the reader, not the schema, judges it). */
export const EpcisUpload = Type.Unknown({ description: 'an EPCIS 2.0 JSON / JSON-LD document or a single event' });

export const EpcisValidation = Type.Object({
  valid: Type.Literal(true),
  events: Type.Integer({ minimum: 0, description: 'how many events the document holds' }),
});
export type EpcisValidation = Static<typeof EpcisValidation>;
