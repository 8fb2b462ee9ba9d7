import { csvText } from '../../platform/csv.js';
/**
 * The UDI database export: every device identifier of the tenant as one CSV file whose columns
 * carry the field sets of the NMPA UDI database (医疗器械唯一标识数据库) and FDA GUDID, filled
 * from master data where we hold the value and left empty where the submitter completes it
 * (docs/DECISIONS.md lists each column and its source).
 */
import type { DeviceIdentifier } from '../masterdata/index.js';

/** The columns, in order: header and value. */
type Row = DeviceIdentifier & { unitOfUseGtin: string | null };
const COLUMNS: ReadonlyArray<[string, (d: Row, c: ExportContext) => string]> = [
  ['primary_di', (d) => d.gtin],
  ['issuing_agency', () => 'GS1'],
  ['packaging_level', (d) => d.level ?? 'each'],
  ['quantity_per_package', (d) => String(d.quantity)],
  ['contains_di', (d) => d.containsGtin ?? ''],
  ['brand_name', (d) => d.name],
  ['version_model_number', (d) => d.code],
  ['catalog_number', (d) => d.code],
  ['device_description', (d) => d.name],
  ['company_name', (_d, c) => c.manufacturer],
  ['device_count', () => '1'],
  ['unit_of_use_di', (d) => d.unitOfUseGtin ?? ''],
  ['pi_lot', (d) => (d.tracking === 'lot' ? 'Y' : 'N')],
  ['pi_serial', (d) => (d.tracking === 'serial' ? 'Y' : 'N')],
  ['pi_expiration_date', (d) => (d.shelfLifeDays !== null ? 'Y' : 'N')],
  ['pi_manufacturing_date', () => 'Y'],
  ['shelf_life_days', (d) => (d.shelfLifeDays === null ? '' : String(d.shelfLifeDays))],
  ['device_record_status', (d) => (d.active ? 'published' : 'inactive')],
  ['revision', (d) => d.releasedRevision ?? ''],
  ['product_code_fda', () => ''],
  ['gmdn_code', () => ''],
  ['classification_code_nmpa', () => ''],
  ['registration_certificate_number_nmpa', () => ''],
  ['mri_safety_status', () => ''],
  ['sterile', () => ''],
  ['single_use', () => ''],
  ['contains_latex', () => ''],
];

interface ExportContext {
  manufacturer: string;
}

/** The device identifiers as CSV text (UTF-8 with a byte order mark, so spreadsheets read Chinese names). */
export function udiExportCsv(identifiers: readonly DeviceIdentifier[], manufacturer: string): string {
  const ctx = { manufacturer };
  const unitOfUse = new Map(identifiers.filter((d) => d.level === 'unit_of_use').map((d) => [d.itemId, d.gtin]));
  return csvText(
    COLUMNS.map(([h]) => h),
    identifiers.map((d) => {
      const row = { ...d, unitOfUseGtin: unitOfUse.get(d.itemId) ?? null };
      return COLUMNS.map(([, f]) => f(row, ctx));
    }),
  );
}

export const UDI_EXPORT_COLUMNS = COLUMNS.map(([h]) => h);
