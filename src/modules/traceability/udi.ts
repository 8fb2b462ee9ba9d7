/**
 * The UDI of one lot or serial (FDA 21 CFR 801.20, NMPA UDI rules, GS1 as issuing agency): the
 * device identifier (01) GTIN-14 of the packaging level, and the production identifiers — (17)
 * expiry, (11) manufacture date when asked for, (10) lot or (21) serial — as the element string a
 * barcode encodes (group separators after variable-length fields) and the "(01)…(17)…" text
 * printed under it. Labels, shipment records and packing lists compose it here, once.
 */
import { BadRequest } from '../../platform/errors.js';
import { encodeElementString, formatHumanReadable, type Gs1Data, type Gs1Options } from './gs1.js';

export interface UdiUnit {
  /** GTIN-8/12/13/14; padded to GTIN-14. */
  gtin: string;
  kind: 'lot' | 'serial';
  number: string;
  expiresOn: string | null;
  manufacturedOn?: string | null;
}

export interface Udi {
  elementString: string;
  humanReadable: string;
}

/** The GS1 data of a unit's UDI. */
export function udiData(unit: UdiUnit): Gs1Data {
  const data: Gs1Data = { gtin: unit.gtin.padStart(14, '0') };
  if (unit.expiresOn) data.expiryDate = unit.expiresOn;
  if (unit.manufacturedOn) data.productionDate = unit.manufacturedOn;
  if (unit.kind === 'serial') data.serial = unit.number;
  else data.batch = unit.number;
  return data;
}

/** The unit's UDI; a number or date GS1 cannot carry is a BadRequest (`error.gs1.*`) naming it. */
export function composeUdi(unit: UdiUnit, opts: Gs1Options = {}): Udi {
  const data = udiData(unit);
  return { elementString: encodeElementString(data, opts), humanReadable: formatHumanReadable(data, opts) };
}

/**
 * The UDI of a shipped unit, or nulls when the item has no GTIN or the lot number cannot be
 * carried (a character outside GS1's set): the record keeps the lot without a UDI.
 */
export function udiOrNull(gtin: string | null, unit: Omit<UdiUnit, 'gtin'> & { kind: string }): [string | null, string | null] {
  if (!gtin) return [null, null];
  try {
    const udi = composeUdi({ ...unit, gtin, kind: unit.kind === 'serial' ? 'serial' : 'lot' });
    return [udi.elementString, udi.humanReadable];
  } catch (err) {
    if (err instanceof BadRequest) return [null, null];
    throw err;
  }
}
