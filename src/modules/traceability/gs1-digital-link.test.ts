import { describe, expect, it } from 'vitest';
import type { Gs1Data } from './gs1.js';
import { digitalLinkUri, parseDigitalLink } from './gs1-digital-link.js';

const opts = { today: new Date('2026-11-22T00:00:00Z') };
const GTIN = '09506000134352';
const GLN = '9506000134369';
const SSCC = '106141411234567897';

const listed = (data: Gs1Data) => data.elements?.map((e) => `(${e.ai})${e.value}`).join('');
const rejects = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code: `error.gs1.${code}` }));

describe('GS1 Digital Link generation', () => {
  it('[Q.LBL] puts GTIN, lot and serial in the path and other AIs in the query, percent-encoding reserved characters', () => {
    const uri = digitalLinkUri({ gtin: GTIN, batch: "A/B&C(1)'", serial: '50%+x', expiryDate: '2028-06-30' }, opts);
    expect(uri).toBe(`https://id.gs1.org/01/${GTIN}/10/A%2FB%26C%281%29%27/21/50%25%2Bx?17=280630`);
    expect(parseDigitalLink(uri, opts)).toMatchObject({ batch: "A/B&C(1)'", serial: '50%+x' });
  });

  it('uses the brand resolver when given', () => {
    expect(digitalLinkUri({ gtin: GTIN, serial: 'S1' }, { ...opts, resolver: 'https://udi.example.com/' })).toBe(
      `https://udi.example.com/01/${GTIN}/21/S1`,
    );
  });

  it('follows the qualifier sequence of the key the data uses: CPV, lot, serial or the TPX alone', () => {
    const withCpv = { gtin: GTIN, serial: 'S1', elements: [{ ai: '22', value: 'V2' }] };
    expect(digitalLinkUri(withCpv, opts)).toBe(`https://id.gs1.org/01/${GTIN}/22/V2/21/S1`);
    const withTpx = { gtin: GTIN, batch: 'L1', elements: [{ ai: '235', value: 'TPX9' }] };
    expect(digitalLinkUri(withTpx, opts)).toBe(`https://id.gs1.org/01/${GTIN}/235/TPX9?10=L1`);
    const location = {
      elements: [
        { ai: '414', value: GLN },
        { ai: '254', value: 'DOCK-3' },
      ],
    };
    expect(digitalLinkUri(location, opts)).toBe(`https://id.gs1.org/414/${GLN}/254/DOCK-3`);
  });

  it('refuses data a Digital Link cannot carry', () => {
    rejects(() => digitalLinkUri({ batch: 'L1' }, opts), 'missingAi');
    rejects(() => digitalLinkUri({ elements: [{ ai: '400', value: 'PO-1' }] }, opts), 'digitalLinkNoKey');
    rejects(() => digitalLinkUri({ gtin: GTIN, elements: [{ ai: '8200', value: 'https://x' }] }, opts), 'digitalLinkAttribute');
  });
});

describe('GS1 Digital Link parsing', () => {
  it.each<[string, string, string]>([
    ['a GTIN on any domain with a path prefix', `https://brand.example.com/products/01/${GTIN}`, `(01)${GTIN}`],
    ['GTIN, CPV, lot and serial in order', `https://id.gs1.org/01/${GTIN}/22/V2/10/L1/21/S1`, `(01)${GTIN}(22)V2(10)L1(21)S1`],
    ['GTIN and TPX', `https://id.gs1.org/01/${GTIN}/235/TPX9`, `(01)${GTIN}(235)TPX9`],
    [
      'an SSCC with content and count in the query',
      `http://id.gs1.org/00/${SSCC}?02=10614141000415&37=48`,
      `(00)${SSCC}(02)10614141000415(37)48`,
    ],
    ['a GLN with its extension', `https://id.gs1.org/414/${GLN}/254/DOCK-3`, `(414)${GLN}(254)DOCK-3`],
    ['a GIAI with its UIC', 'https://id.gs1.org/8004/950600ASSET-1/7040/1A2-', '(8004)950600ASSET-1(7040)1A2-'],
    ['a CPID with its serial', 'https://id.gs1.org/8010/ABC-1/8011/42', '(8010)ABC-1(8011)42'],
    ['a GDTI', `https://id.gs1.org/253/${GLN}DOC-42`, `(253)${GLN}DOC-42`],
    ['an ITIP with lot', `https://id.gs1.org/8006/${GTIN}0102/10/L1`, `(8006)${GTIN}0102(10)L1`],
    ['a value that looks like an AI', `https://id.gs1.org/01/${GTIN}/10/21/21/10`, `(01)${GTIN}(10)21(21)10`],
    [
      'attributes of many kinds, ignoring non-AI parameters',
      `https://id.gs1.org/01/${GTIN}/10/L%2F7?17=280600&3103=001250&linkType=gs1:pip&91=X`,
      `(01)${GTIN}(10)L/7(17)280600(3103)001250(91)X`,
    ],
    ['an attribute repeating the path with the same value', `https://id.gs1.org/01/${GTIN}/10/L1?10=L1`, `(01)${GTIN}(10)L1`],
    ['a trailing slash', `https://id.gs1.org/01/${GTIN}/`, `(01)${GTIN}`],
  ])('[Q.LBL] reads %s', (_, uri, expected) => {
    expect(listed(parseDigitalLink(uri, opts))).toBe(expected);
  });

  it('decodes the typed fields too', () => {
    expect(parseDigitalLink(`https://id.gs1.org/01/${GTIN}/10/L1?17=280600`, opts)).toMatchObject({
      gtin: GTIN,
      batch: 'L1',
      expiryDate: '2028-06-30',
    });
  });

  it.each<[string, string, string]>([
    ['a GTIN-13 written short in the path', 'https://id.gs1.org/01/9506000134352', 'digitalLinkShortGtin'],
    ['a GTIN-12 written short in the path', 'https://id.gs1.org/01/960123456781', 'digitalLinkShortGtin'],
    ['a GTIN-8 written short in the path', 'https://id.gs1.org/01/95060002', 'digitalLinkShortGtin'],
    ['a GTIN of another length', 'https://id.gs1.org/01/95060001343', 'length'],
    ['an expiry date in the path', `https://id.gs1.org/01/${GTIN}/17/280630`, 'digitalLinkNotQualifier'],
    ['an expiry date in the path after the lot', `https://id.gs1.org/01/${GTIN}/10/L1/17/280630`, 'digitalLinkNotQualifier'],
    ['a count in the path of an SSCC', `https://id.gs1.org/00/${SSCC}/37/48`, 'digitalLinkNotQualifier'],
    ['an upper-case scheme', `HTTPS://id.gs1.org/01/${GTIN}`, 'digitalLinkScheme'],
    ['a mixed-case scheme', `Https://id.gs1.org/01/${GTIN}`, 'digitalLinkScheme'],
    ['another scheme', `ftp://id.gs1.org/01/${GTIN}`, 'digitalLinkScheme'],
    ['a URN', 'urn:epc:id:sgtin:9506000.013435.1', 'digitalLinkScheme'],
    ['a serial before the lot', `https://id.gs1.org/01/${GTIN}/21/S1/10/L1`, 'digitalLinkQualifierOrder'],
    ['a lot before the CPV', `https://id.gs1.org/01/${GTIN}/10/L1/22/V2`, 'digitalLinkQualifierOrder'],
    ['a TPX mixed with a lot', `https://id.gs1.org/01/${GTIN}/10/L1/235/TPX9`, 'digitalLinkQualifierOrder'],
    ['a serial in the query', `https://id.gs1.org/01/${GTIN}?21=S1`, 'digitalLinkAttribute'],
    ['an unknown AI in the query', `https://id.gs1.org/01/${GTIN}?89=X`, 'unknownAi'],
    ['an unknown AI in the path', `https://id.gs1.org/01/${GTIN}/89/X`, 'unknownAi'],
    ['a lot in the query that differs from the path', `https://id.gs1.org/01/${GTIN}/10/L1?10=L2`, 'duplicateAi'],
    ['a path without a primary key', 'https://id.gs1.org/products/123', 'digitalLinkNoKey'],
    ['a data attribute alone in the path', 'https://id.gs1.org/10/L1', 'digitalLinkNoKey'],
    ['a wrong GTIN check digit', 'https://id.gs1.org/01/09506000134353', 'checkDigit'],
    ['a bad percent-encoding', `https://id.gs1.org/01/${GTIN}/10/%E0%A4%A`, 'digitalLink'],
    ['a query attribute that breaks its pairing rule', `https://id.gs1.org/00/${SSCC}?37=48`, 'missingAi'],
  ])('refuses %s', (_, uri, code) => {
    rejects(() => parseDigitalLink(uri, opts), code);
  });
});
