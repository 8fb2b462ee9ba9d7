/**
 * A print job's labels as printer output: a PDF (one label per page for a label printer's roll, or
 * eight on an A4 sheet) and ZPL for a thermal printer. Every label carries the UDI twice, as a GS1
 * DataMatrix and as GS1-128 (bwip-js draws both for the PDF; the printer draws them from ZPL's
 * ^BX and ^BC), with the human-readable text under them, the item, lot or serial, dates and the
 * manufacturer. Labels are drawn from the job as recorded, so a reprint of the file says the same.
 */
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import type { Translator } from '../../platform/i18n.js';
import { fontFiles } from '../../platform/pdf/index.js';
import type { LabelJob, LabelUnit } from './contract.js';
import { GS } from './gs1.js';

const MM = 72 / 25.4;
const LABEL = { width: 100 * MM, height: 70 * MM };
const SHEET = { columns: 2, rows: 4, margin: 8 * MM };

export interface LabelFacts {
  manufacturer: string;
  translator: Translator;
}

/** Each label to print, in order: every unit as many times as the job's copies. */
function labelsOf(job: LabelJob): LabelUnit[] {
  return job.units.flatMap((u) => Array.from({ length: job.copies }, () => u));
}

/** The lines of text beside the DataMatrix. */
function textLines(job: LabelJob, unit: LabelUnit, facts: LabelFacts): string[] {
  const t = facts.translator.t;
  return [
    `${t('traceability.print.di')}: ${job.gtin}`,
    unit.kind === 'serial' ? `${t('traceability.print.serial')}: ${unit.number}` : `${t('traceability.print.lot')}: ${unit.number}`,
    ...(unit.expiresOn ? [`${t('traceability.print.expiry')}: ${unit.expiresOn}`] : []),
    ...(unit.manufacturedOn ? [`${t('traceability.print.manufactured')}: ${unit.manufacturedOn}`] : []),
    `${t('traceability.print.level')}: ${t(`traceability.packagingLevels.${job.packagingLevel}`)}`,
    `${t('traceability.print.manufacturer')}: ${facts.manufacturer}`,
  ];
}

async function barcodes(unit: LabelUnit): Promise<{ matrix: Buffer; linear: Buffer }> {
  const [matrix, linear] = await Promise.all([
    bwipjs.toBuffer({ bcid: 'gs1datamatrix', text: unit.humanReadable, scale: 4 }),
    bwipjs.toBuffer({ bcid: 'gs1-128', text: unit.humanReadable, scale: 3, height: 12 }),
  ]);
  return { matrix, linear };
}

/** The job's labels as a PDF: `single` one label per page, `sheet` eight labels per A4 page. */
export async function renderLabelPdf(job: LabelJob, facts: LabelFacts): Promise<Buffer> {
  const sheet = job.template === 'sheet';
  const pdf = new PDFDocument({
    size: sheet ? 'A4' : [LABEL.width, LABEL.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: `${job.number} ${job.itemCode}`, Subject: job.id, Creator: 'Mediforge' },
    lang: facts.translator.language,
  });
  const { regular, bold } = fontFiles();
  pdf.registerFont('body', regular);
  pdf.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const images = new Map<string, { matrix: Buffer; linear: Buffer }>();
  const perPage = sheet ? SHEET.columns * SHEET.rows : 1;
  const labels = labelsOf(job);
  for (const [i, unit] of labels.entries()) {
    if (i % perPage === 0) pdf.addPage();
    const slot = i % perPage;
    const x = sheet ? SHEET.margin + (slot % SHEET.columns) * LABEL.width : 0;
    const y = sheet ? SHEET.margin + Math.floor(slot / SHEET.columns) * LABEL.height : 0;
    if (!images.has(unit.lotId)) images.set(unit.lotId, await barcodes(unit));
    drawLabel(pdf, { x, y }, job, unit, images.get(unit.lotId)!, facts);
  }
  pdf.end();
  return done;
}

function drawLabel(
  pdf: PDFKit.PDFDocument,
  at: { x: number; y: number },
  job: LabelJob,
  unit: LabelUnit,
  images: { matrix: Buffer; linear: Buffer },
  facts: LabelFacts,
): void {
  const pad = 3 * MM;
  const inner = LABEL.width - 2 * pad;
  if (job.template === 'sheet') pdf.rect(at.x, at.y, LABEL.width, LABEL.height).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
  pdf
    .font('bold')
    .fontSize(9)
    .fillColor('black')
    .text(job.itemName, at.x + pad, at.y + pad, { width: inner, height: 12, ellipsis: true, lineBreak: false });
  pdf
    .font('body')
    .fontSize(7)
    .text(job.itemCode, at.x + pad, at.y + pad + 12, { width: inner, lineBreak: false });
  const matrixSize = 22 * MM;
  const top = at.y + pad + 22;
  pdf.image(images.matrix, at.x + pad, top, { fit: [matrixSize, matrixSize] });
  pdf.font('body').fontSize(7);
  textLines(job, unit, facts).forEach((line, i) => {
    pdf.text(line, at.x + pad + matrixSize + 3 * MM, top + i * 9, { width: inner - matrixSize - 3 * MM, lineBreak: false, ellipsis: true });
  });
  const linearTop = top + matrixSize + 2 * MM;
  pdf.image(images.linear, at.x + pad, linearTop, { fit: [inner, 14 * MM], align: 'center' });
  pdf
    .font('body')
    .fontSize(7)
    .text(unit.humanReadable, at.x + pad, linearTop + 14 * MM + 1, { width: inner, align: 'center', lineBreak: false });
}

// ---------------------------------------------------------------------------------------------
// ZPL

/** Text for ^FD under ^FH: the characters ZPL reads as commands written as hex escapes. */
const zplText = (text: string): string =>
  text.replace(/[\^~_\\]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * One label in ZPL II at 203 dpi (8 dots/mm), 100 × 70 mm: ^BX DataMatrix in ECC 200 with `_1` as
 * FNC1 (first position: GS1; in place of each group separator), ^BC Code 128 starting with FNC1
 * (`>8`, GS1-128) and FNC1 again in place of each group separator; human-readable lines with ^FH,
 * UTF-8 (^CI28).
 */
function zplLabel(job: LabelJob, unit: LabelUnit, facts: LabelFacts): string {
  const matrixData = `_1${unit.udi.split(GS).join('_1')}`;
  const linearData = `>;>8${unit.udi.split(GS).join('>8')}`;
  const lines = textLines(job, unit, facts).map((line, i) => `^FO200,${90 + i * 26}^A0N,22,22^FH^FD${zplText(line)}^FS`);
  return [
    '^XA',
    '^CI28',
    '^PW800^LL560',
    `^FO24,20^A0N,30,30^FH^FD${zplText(job.itemName)}^FS`,
    `^FO24,56^A0N,22,22^FH^FD${zplText(job.itemCode)}^FS`,
    `^FO24,90^BXN,6,200,,,,_^FD${matrixData}^FS`,
    ...lines,
    `^FO24,260^BY2^BCN,160,N,N,N^FD${linearData}^FS`,
    `^FO24,430^FB752,1,0,C^A0N,24,24^FH^FD${zplText(unit.humanReadable)}^FS`,
    '^XZ',
  ].join('\n');
}

/** The job's labels as one ZPL stream, a ^XA…^XZ block per label. */
export function renderLabelZpl(job: LabelJob, facts: LabelFacts): string {
  return `${labelsOf(job)
    .map((u) => zplLabel(job, u, facts))
    .join('\n')}\n`;
}

/** Characters a lot or serial may not hold on our labels: the barcode library reads ( ) as AI brackets, ZPL > and _ as commands. */
export const LABEL_UNSAFE = /[()>_]/;
