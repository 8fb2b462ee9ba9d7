import type { ScanForm, ScanResult } from './contract.js';
import { digitalLinkUri, formatHumanReadable, GS, type Gs1Data, parseDigitalLink, parseElementString, parseHumanReadable } from './gs1.js';

/**
 * Decodes what a scanner or a person typed into a scan field: a GS1 Digital Link URI, the
 * printed "(01)…(17)…" form, or the raw element string with group separators. Invalid data is
 * refused with the GS1 rule it breaks (`error.gs1.*`). A trailing group separator is accepted.
 */
export function decodeScan(text: string, today?: Date): ScanResult {
  // Scanners often end the data with a group separator after the last variable-length element.
  let input = text.trim();
  while (input.endsWith(GS)) input = input.slice(0, -1);
  const opts = today ? { today } : {};
  const form: ScanForm = /^https?:\/\//i.test(input) ? 'digitalLink' : input.startsWith('(') ? 'humanReadable' : 'elementString';
  const data: Gs1Data =
    form === 'digitalLink'
      ? parseDigitalLink(input, opts)
      : form === 'humanReadable'
        ? parseHumanReadable(input, opts)
        : parseElementString(input, opts);
  return {
    form,
    data,
    humanReadable: formatHumanReadable(data, opts),
    digitalLink: data.gtin || data.sscc ? digitalLinkUri(data, opts) : null,
  };
}
