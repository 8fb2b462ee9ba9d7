import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Translator } from '../i18n.js';
import { type Words, wordsFor } from './format.js';
import { type Block, documentHash, type Field, type RecordDocument, type TableColumn, type Text } from './model.js';

/**
 * Draws a record document as an A4 PDF with pdfkit. Every glyph comes from Noto Sans SC (SIL
 * Open Font License, from the npm package `@expo-google-fonts/noto-sans-sc`), which covers Latin
 * and Simplified Chinese; pdfkit embeds only the glyphs used (a subset) with a ToUnicode map,
 * so the text can be searched and copied. Each page carries the footer: page X of Y, the record
 * id, when and by whom it was printed, and the content hash of the document (`documentHash`).
 */

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** The font files, read once per process (about 10 MB each; the PDF holds only a subset). */
export function fontFiles(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

export interface PrintFacts {
  /** Who prints: the person's printed name. */
  printedBy: string;
  /** When (ISO 8601, server clock). */
  printedAt: string;
  translator: Translator;
}

const MARGIN = 50;
const FOOTER = 46;
const BODY = 9;
const SMALL = 7.5;
const RULE = '#999999';
const SHADE = '#eeeeee';

/** The record as PDF bytes, and the content hash printed in its footer. */
export async function renderRecord(doc: RecordDocument, facts: PrintFacts): Promise<{ pdf: Buffer; hash: string }> {
  const hash = documentHash(doc);
  const words = wordsFor(facts.translator, doc.timeZone);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    info: {
      Title: `${words.text(doc.recordType)} ${doc.number}`,
      Subject: doc.recordId,
      Keywords: `sha256:${hash}`,
      Creator: 'Mediforge',
      CreationDate: new Date(facts.printedAt),
    },
    lang: facts.translator.language,
  });
  const { regular, bold } = fontFiles();
  pdf.registerFont('body', regular);
  pdf.registerFont('bold', bold);
  pdf.font('body').fontSize(BODY);

  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const page = new Page(pdf, words);
  page.title(doc);
  page.fields(doc.fields);
  for (const section of doc.sections) {
    page.heading(section.heading);
    for (const block of section.blocks) page.block(block);
  }
  page.signatures(doc);
  footers(pdf, doc, facts, words, hash);
  pdf.end();
  return { pdf: await done, hash };
}

/** The flow of content down the pages. */
class Page {
  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly words: Words,
  ) {}

  private get width(): number {
    return this.pdf.page.width - this.pdf.page.margins.left - this.pdf.page.margins.right;
  }
  private get bottom(): number {
    return this.pdf.page.height - this.pdf.page.margins.bottom;
  }
  private get left(): number {
    return this.pdf.page.margins.left;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private room(height: number): void {
    if (this.pdf.y + height > this.bottom) this.pdf.addPage();
  }

  title(doc: RecordDocument): void {
    const { pdf, words } = this;
    pdf
      .font('bold')
      .fontSize(16)
      .text(`${words.text(doc.recordType)} ${doc.number}`, this.left, pdf.y, { width: this.width });
    pdf.font('body').fontSize(BODY);
    pdf.text(`${doc.tenant} · ${doc.site}`, { width: this.width });
    pdf.text(`${words.text({ key: 'print.status' })}: ${words.text(doc.status)}`, { width: this.width });
    pdf.text(`${words.text({ key: 'print.recordId' })}: ${doc.recordId}`, { width: this.width });
    pdf.moveDown(0.6);
  }

  heading(text: Text): void {
    this.room(40);
    this.pdf.moveDown(0.4);
    this.pdf.font('bold').fontSize(11).text(this.words.text(text), this.left, this.pdf.y, { width: this.width });
    this.pdf.font('body').fontSize(BODY).moveDown(0.2);
  }

  block(block: Block): void {
    if (block.kind === 'fields') this.fields(block.fields);
    else if (block.kind === 'paragraph') {
      this.room(20);
      this.pdf.text(this.words.text(block.text), this.left, this.pdf.y, { width: this.width });
      this.pdf.moveDown(0.4);
    } else this.table(block.columns, block.rows, block.empty);
  }

  /** Label/value pairs, the label in a narrow column, the value wrapping beside it. */
  fields(fields: readonly Field[]): void {
    const labelWidth = this.width * 0.3;
    const valueWidth = this.width - labelWidth - 8;
    for (const field of fields) {
      const label = this.words.text(field.label);
      const value = this.words.text(field.value);
      this.pdf.font('bold');
      const labelHeight = this.pdf.heightOfString(label, { width: labelWidth });
      this.pdf.font('body');
      const height = Math.max(labelHeight, this.pdf.heightOfString(value, { width: valueWidth }));
      this.room(height + 2);
      const y = this.pdf.y;
      this.pdf.font('bold').text(label, this.left, y, { width: labelWidth });
      this.pdf.font('body').text(value, this.left + labelWidth + 8, y, { width: valueWidth });
      this.pdf.x = this.left;
      this.pdf.y = y + height + 2;
    }
    this.pdf.moveDown(0.4);
  }

  /** A table whose cells wrap; its header row is drawn again at the top of each page it continues on. */
  table(columns: readonly TableColumn[], rows: readonly (readonly (Text | null)[])[], empty: Text | undefined): void {
    const total = columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
    const widths = columns.map((c) => (this.width * (c.width ?? 1)) / total);
    const pad = 3;
    const header = columns.map((c) => this.words.text(c.label));
    const measure = (cells: readonly string[], font: 'body' | 'bold'): number => {
      this.pdf.font(font);
      const h = Math.max(...cells.map((text, i) => this.pdf.heightOfString(text || ' ', { width: (widths[i] ?? 0) - 2 * pad })));
      this.pdf.font('body');
      return h + 2 * pad;
    };
    const draw = (cells: readonly string[], font: 'body' | 'bold', height: number, shade: boolean): void => {
      const y = this.pdf.y;
      let x = this.left;
      if (shade) this.pdf.rect(this.left, y, this.width, height).fill(SHADE).fillColor('black');
      this.pdf.font(font);
      cells.forEach((text, i) => {
        const w = widths[i] ?? 0;
        this.pdf.text(text, x + pad, y + pad, { width: w - 2 * pad, align: columns[i]?.align === 'right' ? 'right' : 'left' });
        x += w;
      });
      this.pdf.font('body');
      this.pdf
        .moveTo(this.left, y + height)
        .lineTo(this.left + this.width, y + height)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      this.pdf.x = this.left;
      this.pdf.y = y + height;
    };
    const headerHeight = measure(header, 'bold');
    const drawHeader = () => draw(header, 'bold', headerHeight, true);

    const texts = rows.map((row) => columns.map((_, i) => this.words.text(row[i] ?? null)));
    this.room(headerHeight + (texts[0] ? measure(texts[0], 'body') : 20));
    drawHeader();
    if (texts.length === 0 && empty) {
      this.pdf.text(this.words.text(empty), this.left + pad, this.pdf.y + pad, { width: this.width - 2 * pad });
    }
    for (const cells of texts) {
      const height = measure(cells, 'body');
      if (this.pdf.y + height > this.bottom) {
        this.pdf.addPage();
        drawHeader();
      }
      draw(cells, 'body', height, false);
    }
    this.pdf.moveDown(0.6);
  }

  /** Every signature manifested (Part 11 §11.50): name, local date and time with offset, meaning, signature id. */
  signatures(doc: RecordDocument): void {
    const { words } = this;
    this.heading({ key: 'print.signatures' });
    if (doc.signatures.length === 0) {
      this.pdf.text(words.text({ key: 'print.noSignatures' }), this.left, this.pdf.y, { width: this.width });
      return;
    }
    for (const s of doc.signatures) {
      const lines = [
        words.manifestation(s),
        ...(s.on ? [`${words.text({ key: 'print.signedRecord' })}: ${words.text(s.on)}`] : []),
        ...(s.comment ? [`${words.text({ key: 'signature.comment' })}: ${s.comment}`] : []),
        `${words.text({ key: 'print.signatureId' })}: ${s.id} · ${words.text({ key: s.valid ? 'signature.valid' : 'signature.invalid' })}`,
      ];
      const height = lines.reduce((h, line) => h + this.pdf.heightOfString(line, { width: this.width - 12 }), 0) + 8;
      this.room(height);
      const y = this.pdf.y;
      this.pdf
        .moveTo(this.left, y)
        .lineTo(this.left, y + height - 4)
        .lineWidth(2)
        .strokeColor(s.valid ? '#2f9e44' : '#e03131')
        .stroke();
      this.pdf.font('bold').text(lines[0] ?? '', this.left + 8, y, { width: this.width - 12 });
      this.pdf.font('body');
      for (const line of lines.slice(1)) this.pdf.text(line, this.left + 8, this.pdf.y, { width: this.width - 12 });
      this.pdf.x = this.left;
      this.pdf.y = y + height;
    }
  }
}

/** The footer of every page, written once the number of pages is known. */
function footers(pdf: PDFKit.PDFDocument, doc: RecordDocument, facts: PrintFacts, words: Words, hash: string): void {
  const range = pdf.bufferedPageRange();
  const printed = words.text({
    key: 'print.printed',
    params: { at: { dateTime: facts.printedAt }, by: facts.printedBy },
  });
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const { margins, width, height } = pdf.page;
    const left = margins.left;
    const lineWidth = width - margins.left - margins.right;
    const top = height - MARGIN - FOOTER + 12;
    // Writing below the bottom margin would start a new page: lift it while the footer is drawn.
    const bottom = margins.bottom;
    margins.bottom = 0;
    pdf
      .moveTo(left, top - 4)
      .lineTo(left + lineWidth, top - 4)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    pdf.font('body').fontSize(SMALL).fillColor('black');
    const pageOf = words.text({ key: 'print.pageOf', params: { page: String(i - range.start + 1), pages: String(range.count) } });
    pdf.text(`${doc.number} · ${words.text({ key: 'print.recordId' })}: ${doc.recordId}`, left, top, {
      width: lineWidth * 0.75,
      lineBreak: false,
    });
    pdf.text(pageOf, left + lineWidth * 0.75, top, { width: lineWidth * 0.25, align: 'right', lineBreak: false });
    pdf.text(printed, left, top + 10, { width: lineWidth, lineBreak: false });
    pdf.text(`${words.text({ key: 'print.contentHash' })}: ${hash}`, left, top + 20, { width: lineWidth, lineBreak: false });
    margins.bottom = bottom;
  }
}
