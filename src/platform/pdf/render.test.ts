import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { pickLanguage, translator } from '../i18n.js';
import { documentHash, type RecordDocument } from './model.js';
import { renderRecord } from './render.js';

/** A record of many lines: long enough to run over three pages. */
function manyLines(count: number): RecordDocument {
  return {
    recordType: 'Device history record',
    number: 'REC-2026-00042',
    recordId: '01900000-0000-7000-8000-000000000042',
    status: { key: 'esign.meaning.approved' },
    tenant: '深圳医疗器械有限公司',
    site: 'SZ1 深圳工厂',
    timeZone: 'Asia/Shanghai',
    fields: [
      { label: 'Lot', value: 'L-2026-0042' },
      { label: 'Made', value: { date: '2026-11-30' } },
      { label: 'Quantity', value: { decimal: '12345678901234.123456789', unit: 'ea' } },
    ],
    sections: [
      {
        heading: { key: 'record.details' },
        blocks: [
          {
            kind: 'table',
            columns: [{ label: 'No.' }, { label: 'Component 组件', width: 4 }, { label: 'Qty', align: 'right' }],
            rows: Array.from({ length: count }, (_, i) => [
              `R${i + 1}`,
              `导管组件 catheter component ${i + 1}, a description long enough to wrap onto a second line in its cell`,
              { decimal: String(1000 + i), unit: 'ea' },
            ]),
          },
          { kind: 'paragraph', text: '本记录为电子记录的完整副本。' },
        ],
      },
    ],
    signatures: [
      {
        id: '01900000-0000-7000-8000-0000000000aa',
        name: '王芳',
        login: 'wangfang',
        meaning: 'approved',
        signedAt: '2026-11-22T06:03:11.000Z',
        comment: null,
        valid: true,
      },
    ],
  };
}

const facts = (language: 'en' | 'zh-CN', printedBy = 'Zhao Min', printedAt = '2026-12-04T02:00:00.000Z') => ({
  printedBy,
  printedAt,
  translator: translator(language),
});

async function pagesOf(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(pdf));
  return text.map((page) => page.replace(/\s+/g, ' '));
}

describe('the record renderer', () => {
  it('[P11.10b] numbers every page "X of Y", repeats the table header on each page and puts the footer on all', async () => {
    const doc = manyLines(50);
    const { pdf, hash } = await renderRecord(doc, facts('en'));
    const pages = await pagesOf(pdf);
    expect(pages).toHaveLength(3);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of 3`);
      expect(page).toContain('No. Component 组件 Qty');
      expect(page).toContain(`REC-2026-00042 · Record id: ${doc.recordId}`);
      expect(page).toContain('Printed 4 Dec 2026 10:00:00 +08:00 by Zhao Min');
      expect(page).toContain(`Content hash (SHA-256): ${hash}`);
    });
    expect(pages[0]).toContain('R1 导管组件 catheter component 1,');
    expect(pages[2]).toContain('R50 导管组件 catheter component 50,');
    expect(pages[2]).toContain('本记录为电子记录的完整副本。');
    expect(pages[2]).toContain('Signed by 王芳 (wangfang), 2026-11-22 14:03:11 +08:00, meaning: Approved');
  });

  it('formats dates and exact decimals in the reader’s conventions, and instants in the record’s zone', async () => {
    const [en = ''] = await pagesOf((await renderRecord(manyLines(1), facts('en'))).pdf);
    expect(en).toContain('Made 30 Nov 2026');
    expect(en).toContain('Quantity 12,345,678,901,234.123456789 ea');
    const [zh = ''] = await pagesOf((await renderRecord(manyLines(1), facts('zh-CN'))).pdf);
    expect(zh).toContain('Made 2026年11月30日');
    expect(zh).toContain('深圳医疗器械有限公司 · SZ1 深圳工厂');
    expect(zh).toContain('签名人：王芳（wangfang），时间：2026-11-22 14:03:11 +08:00，含义：批准');
    expect(zh).toContain('第 1 页，共 1 页');
    expect(zh).toContain('打印时间：2026年12月4日 10:00:00 +08:00，打印人：Zhao Min');
  });

  it('[P11.10b] prints the content hash of the document: the same whoever prints it, when and in which language; another when the record differs', async () => {
    const doc = manyLines(3);
    const a = await renderRecord(doc, facts('en'));
    const b = await renderRecord(structuredClone(doc), facts('zh-CN', 'Someone Else', '2027-01-01T00:00:00.000Z'));
    expect(a.hash).toBe(documentHash(doc));
    expect(b.hash).toBe(a.hash);
    const changed = { ...doc, fields: [...doc.fields, { label: 'Note', value: 'added later' }] };
    expect(documentHash(changed)).not.toBe(a.hash);
    const invalidated = { ...doc, signatures: doc.signatures.map((s) => ({ ...s, valid: false })) };
    expect(documentHash(invalidated)).not.toBe(a.hash);
  });

  it('embeds only a subset of the Chinese font', async () => {
    const { pdf } = await renderRecord(manyLines(1), facts('zh-CN'));
    expect(pdf.length).toBeLessThan(200_000);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
  });
});

describe('the language of a printout', () => {
  it('takes the language asked for, else the best of Accept-Language, else English', () => {
    expect(pickLanguage('zh-CN', 'en')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'fr-FR, en-US;q=0.7, zh;q=0.9')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'de-DE,en;q=0.5')).toBe('en');
    expect(pickLanguage(undefined, 'zh-TW')).toBe('en');
    expect(pickLanguage(undefined, undefined)).toBe('en');
  });

  it('reads the labels from the web catalogs, falling back to English and then to the key', () => {
    const zh = translator('zh-CN');
    expect(zh.t('print.pageOf', { page: 2, pages: 3 })).toBe('第 2 页，共 3 页');
    expect(zh.t('purchasing.print.order')).toBe('采购订单');
    expect(translator('en').t('quality.inspections.lot')).toBe('Lot');
    expect(zh.has('no.such.key')).toBe(false);
  });
});
