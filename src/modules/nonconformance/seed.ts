import type { Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { createDefectCode } from './settings.js';

/** A device maker's usual defect codes for bought parts. */
const DEFECT_CODES = [
  { code: 'DIM-01', name: 'Dimension out of tolerance' },
  { code: 'VIS-01', name: 'Visual defect: specks, flash, scratches' },
  { code: 'SEAL-01', name: 'Seal width or integrity out of specification' },
  { code: 'DOC-01', name: 'Certificate of analysis missing or wrong' },
  { code: 'LBL-01', name: 'Labelling or marking wrong' },
  { code: 'CONT-01', name: 'Contamination or particles' },
];

/** The defect code list; the demo NCRs themselves are raised by the raise-nonconformance flow's seed. */
export async function seedNonconformance(tx: Tx, seed: DemoSeed): Promise<void> {
  for (const c of DEFECT_CODES) await createDefectCode(tx, c);
  seed.notes.push(`nonconformance: ${DEFECT_CODES.length} defect codes`);
}
