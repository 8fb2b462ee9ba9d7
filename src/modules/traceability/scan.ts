import { DomainError } from '../../platform/errors.js';
import type { ScanForm, ScanResult } from './contract.js';
import { formatHumanReadable, type Gs1Data, type Gs1Options, parseElementString, parseHumanReadable } from './gs1.js';
import { digitalLinkUri, parseDigitalLink } from './gs1-digital-link.js';

/**
 * Decodes what a scanner or a person typed into a scan field: a GS1 Digital Link URI, the
 * printed "(01)…(17)…" form, or the raw element string with group separators. Invalid data is
 * refused with the GS1 rule it breaks (`error.gs1.*`). A trailing group separator is accepted.
 */
export function decodeScan(text: string, today?: Date): ScanResult {
  const input = text.trim();
  const opts = today ? { today } : {};
  // Any letter case is taken for a Digital Link here, so a wrongly cased scheme is refused as such.
  const form: ScanForm = /^https?:\/\//i.test(input) ? 'digitalLink' : input.startsWith('(') ? 'humanReadable' : 'elementString';
  const data: Gs1Data =
    form === 'digitalLink'
      ? parseDigitalLink(input, opts)
      : form === 'humanReadable'
        ? parseHumanReadable(input, opts)
        : parseElementString(input, opts);
  return { form, data, humanReadable: formatHumanReadable(data, opts), digitalLink: digitalLinkOf(data, opts) };
}

/** The data's Digital Link, or null when it has no primary key or holds an AI no Digital Link may carry. */
function digitalLinkOf(data: Gs1Data, opts: Gs1Options): string | null {
  try {
    return digitalLinkUri(data, opts);
  } catch (err) {
    if (err instanceof DomainError && err.code?.startsWith('error.gs1.digitalLink')) return null;
    throw err;
  }
}
