/**
 * Single sampling by attributes indexed by AQL.
 *
 * Tables: ANSI/ASQ Z1.4-2008 (the MIL-STD-105E tables) — Table I sample size code letters and
 * Tables II-A normal, II-B tightened, II-C reduced single sampling plans, arrows included.
 * Tables I, II-A and II-B are the same as ISO 2859-1:1999 Tables 1, 2-A and 2-B. Table II-C keeps
 * Z1.4's gap between Ac and Re (e.g. 1/3): a count inside the gap accepts the lot but reinstates
 * normal inspection. ISO 2859-1:1999 Table 2-C (no gap) is not implemented.
 *
 * Switching between severities follows ISO 2859-1:1999 clause 9.3 with the switching score of
 * 9.3.3.2, and discontinuation per clause 9.4.
 */
import { BadRequest, Conflict } from '../../platform/errors.js';
import { INSPECTION_LEVELS, type InspectionLevel, type Severity, type SWITCHING_SEVERITIES } from './contract.js';

/** AQL columns as printed in the tables, in percent nonconforming or nonconformities per 100 units. */
export const AQLS = [
  '0.010',
  '0.015',
  '0.025',
  '0.040',
  '0.065',
  '0.10',
  '0.15',
  '0.25',
  '0.40',
  '0.65',
  '1.0',
  '1.5',
  '2.5',
  '4.0',
  '6.5',
  '10',
  '15',
  '25',
  '40',
  '65',
  '100',
  '150',
  '250',
  '400',
  '650',
  '1000',
] as const;
export type Aql = (typeof AQLS)[number];

/** Where the switching rules stand for an item from a supplier: a severity, or discontinued (9.4). */

/** Sample size code letters; S exists only in the tightened table. */
export const CODE_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'] as const;
export type CodeLetter = (typeof CODE_LETTERS)[number];
type PlanLetter = CodeLetter | 'S';

/** Table I: upper lot size of each range, then the letters for S-1 S-2 S-3 S-4 I II III. */
const TABLE_I: ReadonlyArray<readonly [maxLotSize: number, letters: string]> = [
  [8, 'AAAAAAB'],
  [15, 'AAAAABC'],
  [25, 'AABBBCD'],
  [50, 'ABBCCDE'],
  [90, 'BBCCCEF'],
  [150, 'BBCDDFG'],
  [280, 'BCDEEGH'],
  [500, 'BCDEFHJ'],
  [1200, 'CCEFGJK'],
  [3200, 'CDEGHKL'],
  [10000, 'CDFGJLM'],
  [35000, 'CDFHKMN'],
  [150000, 'DEGJLNP'],
  [500000, 'DEGJMPQ'],
  [Number.POSITIVE_INFINITY, 'DEHKNQR'],
];

/*
 * Tables II-A/B/C as printed: code letter, sample size, then one cell per AQL column — "Ac/Re",
 * ↓ (use the first plan below the arrow) or ↑ (first plan above). – marks a cell the table leaves
 * empty. Where the diagonal's arrow would point off the table (row A at AQL 10, row R at AQL 0.015)
 * the cell points the other way, to the nearest plan in the column, as published resolved tables read it.
 */
const TABLE_II_A = [
  'A 2    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31',
  'B 3    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45',
  'C 5    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ↑',
  'D 8    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ↑ ↑',
  'E 13   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ↑ ↑ ↑',
  'F 20   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑',
  'G 32   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'H 50   ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'J 80   ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'K 125  ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'L 200  ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'M 315  ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'N 500  ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'P 800  ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'Q 1250 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'R 2000 ↑ ↑ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
];

const TABLE_II_B = [
  'A 2    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 27/28',
  'B 3    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 27/28 41/42',
  'C 5    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 27/28 41/42 ↑',
  'D 8    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 27/28 41/42 ↑ ↑',
  'E 13   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 27/28 41/42 ↑ ↑ ↑',
  'F 20   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑',
  'G 32   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'H 50   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'J 80   ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'K 125  ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'L 200  ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'M 315  ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'N 500  ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'P 800  ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'Q 1250 ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'R 2000 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'S 3150 – – 1/2 – – – – – – – – – – – – – – – – – – – – – – –',
];

const TABLE_II_C = [
  'A 2    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31',
  'B 2    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 2/4 3/5 5/6 7/8 10/11 14/15 21/22 30/31',
  'C 2    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 14/17 21/24 ↑',
  'D 3    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 14/17 21/24 ↑ ↑',
  'E 5    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 14/17 21/24 ↑ ↑ ↑',
  'F 8    ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑',
  'G 13   ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'H 20   ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'J 32   ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'K 50   ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'L 80   ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'M 125  ↓ ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'N 200  ↓ ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'P 315  ↓ 0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'Q 500  0/1 ↑ ↓ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
  'R 800  ↑ ↑ 0/2 1/3 1/4 2/5 3/6 5/8 7/10 10/13 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑',
];

type Cell = { accept: number; reject: number } | '↓' | '↑' | '–';
interface PlanRow {
  letter: PlanLetter;
  sampleSize: number;
  cells: Cell[];
}

function parseTable(rows: string[]): PlanRow[] {
  return rows.map((row) => {
    const [letter, size, ...cells] = row.split(/\s+/);
    return {
      letter: letter as PlanLetter,
      sampleSize: Number(size),
      cells: cells.map((cell): Cell => {
        if (cell === '↓' || cell === '↑' || cell === '–') return cell;
        const [accept, reject] = cell.split('/').map(Number) as [number, number];
        return { accept, reject };
      }),
    };
  });
}

const MASTER_TABLES: Record<Severity, PlanRow[]> = {
  normal: parseTable(TABLE_II_A),
  tightened: parseTable(TABLE_II_B),
  reduced: parseTable(TABLE_II_C),
};

export interface SamplingPlan {
  severity: Severity;
  aql: Aql;
  /** Code letter from Table I for the lot size and inspection level. */
  codeLetter: CodeLetter;
  /** Row of the plan actually used once arrows are followed (differs from codeLetter at an arrow). */
  planLetter: PlanLetter;
  /** Units to inspect; the whole lot when hundredPercent. */
  sampleSize: number;
  /** Accept the lot with this many nonconforming units (or nonconformities) or fewer. */
  accept: number;
  /** Do not accept the lot with this many or more. Between accept and reject: see judgeLot. */
  reject: number;
  /** The plan's sample size reaches the lot size: inspect every unit; Ac and Re still judge the lot. */
  hundredPercent: boolean;
}

export function isAql(value: unknown): value is Aql {
  return typeof value === 'string' && (AQLS as readonly string[]).includes(value);
}

/** Table I. Lots of a single unit use the smallest range; any plan then covers the whole lot. */
export function sampleSizeCodeLetter(lotSize: number, level: InspectionLevel): CodeLetter {
  assertLotSize(lotSize);
  const column = INSPECTION_LEVELS.indexOf(level);
  if (column < 0) {
    throw new BadRequest(`unknown inspection level ${JSON.stringify(level)}`, {
      code: 'error.sampling.level',
      params: { level: String(level) },
    });
  }
  const range = TABLE_I.find(([maxLotSize]) => lotSize <= maxLotSize)!;
  return range[1][column] as CodeLetter;
}

export function samplingPlan(input: { lotSize: number; aql: Aql; level: InspectionLevel; severity: Severity }): SamplingPlan {
  const { lotSize, aql, level, severity } = input;
  const codeLetter = sampleSizeCodeLetter(lotSize, level);
  if (!isAql(aql)) {
    throw new BadRequest(`AQL ${JSON.stringify(aql)} is not a column of the sampling tables`, {
      code: 'error.sampling.aql',
      params: { aql: String(aql) },
    });
  }
  const table = MASTER_TABLES[severity];
  if (!table) {
    throw new BadRequest(`unknown inspection severity ${JSON.stringify(severity)}`, {
      code: 'error.sampling.severity',
      params: { severity: String(severity) },
    });
  }
  const { row, cell } = followArrows(table, CODE_LETTERS.indexOf(codeLetter), AQLS.indexOf(aql));
  const hundredPercent = row.sampleSize >= lotSize;
  return {
    severity,
    aql,
    codeLetter,
    planLetter: row.letter,
    sampleSize: hundredPercent ? lotSize : row.sampleSize,
    accept: cell.accept,
    reject: cell.reject,
    hundredPercent,
  };
}

/** Follows ↓/↑ down or up the AQL column to the first plan; the sample size is that plan's row. */
function followArrows(table: PlanRow[], rowIndex: number, column: number): { row: PlanRow; cell: { accept: number; reject: number } } {
  let index = rowIndex;
  for (;;) {
    const row = table[index];
    const cell = row?.cells[column];
    if (!row || cell === undefined || cell === '–') throw new Error(`sampling table has no plan at row ${index}, column ${column}`);
    if (cell === '↓') index += 1;
    else if (cell === '↑') index -= 1;
    else return { row, cell };
  }
}

export const LOT_VERDICTS = ['accepted', 'not-accepted', 'accepted-reinstate-normal'] as const;
export type LotVerdict = (typeof LOT_VERDICTS)[number];

/**
 * Judges a lot from the nonconforming count of its sample. A reduced-inspection count above Ac but
 * below Re accepts the lot and reinstates normal inspection (Z1.4 Table II-C note).
 */
export function judgeLot(plan: SamplingPlan, nonconforming: number): LotVerdict {
  if (!Number.isInteger(nonconforming) || nonconforming < 0 || nonconforming > plan.sampleSize) {
    throw new BadRequest(`nonconforming count must be a whole number from 0 to the sample size ${plan.sampleSize}`, {
      code: 'error.sampling.nonconforming',
      params: { sampleSize: plan.sampleSize },
    });
  }
  if (nonconforming <= plan.accept) return 'accepted';
  if (nonconforming >= plan.reject) return 'not-accepted';
  return 'accepted-reinstate-normal';
}

function assertLotSize(lotSize: number): void {
  if (!Number.isSafeInteger(lotSize) || lotSize < 1) {
    throw new BadRequest(`lot size must be a whole number of at least 1, got ${lotSize}`, {
      code: 'error.sampling.lotSize',
      params: { lotSize: String(lotSize) },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Switching rules, ISO 2859-1:1999 clause 9.3, and discontinuation, clause 9.4.

export interface SamplingState {
  severity: (typeof SWITCHING_SEVERITIES)[number];
  /** Verdicts of the latest lots on the current severity, oldest first, at most five. */
  recentLots: readonly boolean[];
  /** Clause 9.3.3.2; kept on normal inspection only. */
  switchingScore: number;
  /** Lots not accepted since tightened inspection began (clause 9.4). */
  notAcceptedOnTightened: number;
}

/** Inspection starts on normal with a switching score of zero (clauses 9.1, 9.3.3.2). */
export const START_OF_INSPECTION: SamplingState = Object.freeze({
  severity: 'normal',
  recentLots: [],
  switchingScore: 0,
  notAcceptedOnTightened: 0,
});

export interface LotResult {
  /** The plan the lot was judged by, on original (not resubmitted) inspection. */
  plan: SamplingPlan;
  nonconforming: number;
  /** Production is at a steady rate (9.3.3 b; its loss returns reduced to normal, 9.3.4 b). */
  productionSteady: boolean;
  /** The responsible authority considers reduced inspection desirable (9.3.3 c, 9.3.4 c). */
  reducedInspectionApproved: boolean;
}

const onSeverity = (severity: Severity): SamplingState => ({ severity, recentLots: [], switchingScore: 0, notAcceptedOnTightened: 0 });

/** Severity for the next lot after this lot's result. */
export function nextSamplingState(state: SamplingState, lot: LotResult): SamplingState {
  if (state.severity === 'discontinued') {
    throw new Conflict('sampling inspection is discontinued until the supplier has corrected the process', {
      code: 'error.sampling.discontinued',
    });
  }
  if (lot.plan.severity !== state.severity) {
    throw new BadRequest(`lot was judged on ${lot.plan.severity} inspection but inspection is ${state.severity}`, {
      code: 'error.sampling.severityMismatch',
      params: { planSeverity: lot.plan.severity, severity: state.severity },
    });
  }
  const verdict = judgeLot(lot.plan, lot.nonconforming);
  const accepted = verdict !== 'not-accepted';
  const recentLots = [...state.recentLots, accepted].slice(-5);

  switch (state.severity) {
    case 'normal': {
      // 9.3.1: two lots not accepted within five or fewer consecutive lots.
      if (recentLots.filter((ok) => !ok).length >= 2) return onSeverity('tightened');
      const switchingScore = nextSwitchingScore(state.switchingScore, lot);
      // 9.3.3: score of at least 30, steady production and approval by the responsible authority.
      if (switchingScore >= 30 && lot.productionSteady && lot.reducedInspectionApproved) return onSeverity('reduced');
      return { ...state, recentLots, switchingScore };
    }
    case 'tightened': {
      const notAcceptedOnTightened = state.notAcceptedOnTightened + (accepted ? 0 : 1);
      // 9.4: five lots not accepted while on tightened inspection.
      if (notAcceptedOnTightened >= 5) return { severity: 'discontinued', recentLots, switchingScore: 0, notAcceptedOnTightened };
      // 9.3.2: five consecutive lots accepted.
      if (recentLots.length === 5 && recentLots.every(Boolean)) return onSeverity('normal');
      return { ...state, recentLots, notAcceptedOnTightened };
    }
    case 'reduced': {
      // 9.3.4: a lot not accepted (or accepted inside the Z1.4 gap), irregular production, or other conditions.
      if (verdict !== 'accepted' || !lot.productionSteady || !lot.reducedInspectionApproved) return onSeverity('normal');
      return { ...state, recentLots };
    }
  }
}

/**
 * 9.3.3.2 for single sampling: with Ac of 2 or more, add 3 if the lot would also have been
 * accepted at the AQL one step tighter (same sample size), otherwise reset; with Ac of 0 or 1,
 * add 2 if the lot is accepted, otherwise reset.
 */
function nextSwitchingScore(score: number, lot: LotResult): number {
  const { plan, nonconforming } = lot;
  if (plan.accept >= 2) {
    return nonconforming <= acceptAtTighterAql(plan) ? score + 3 : 0;
  }
  return nonconforming <= plan.accept ? score + 2 : 0;
}

/** Ac of the normal plan with the same sample size one AQL column to the left (always a plan when Ac ≥ 2). */
function acceptAtTighterAql(plan: SamplingPlan): number {
  const row = MASTER_TABLES.normal.find((r) => r.letter === plan.planLetter)!;
  const cell = row.cells[AQLS.indexOf(plan.aql) - 1];
  if (typeof cell !== 'object') throw new Error(`no normal plan one step tighter than ${plan.planLetter}/${plan.aql}`);
  return cell.accept;
}

/**
 * The responsible authority withdraws its consent to reduced inspection (9.3.4 c): an active
 * reduced inspection returns to normal; otherwise nothing changes but the consent.
 */
export function withdrawReduced(state: SamplingState): SamplingState {
  return state.severity === 'reduced' ? onSeverity('normal') : state;
}

/** After the supplier's corrective action the responsible authority may resume, on tightened inspection (9.4). */
export function resumeAfterCorrectiveAction(state: SamplingState): SamplingState {
  if (state.severity !== 'discontinued') {
    throw new Conflict(`sampling inspection is ${state.severity}, not discontinued`, { code: 'error.sampling.notDiscontinued' });
  }
  return onSeverity('tightened');
}
