// Traceability: GS1 identification of what is made and shipped (UDI device and production
// identifiers, SSCCs) and, as it grows, genealogy and recall over the typed links the ledger
// keeps. Owns no tables yet; reads other modules only through their public faces.
import type { Module } from '../../platform/module.js';
import { TRACEABILITY_PERMISSION_LIST } from './contract.js';
import { traceabilityRoutes } from './routes.js';

export * from './contract.js';
export { checkedDocument, EPCIS_MEDIA_TYPE, type EpcisDocument, EpcisExportInvalid, lotEpcis, serialLotId } from './epcis.js';
export { type EpcisProblem, validateEpcisDocument } from './epcis-validate.js';
export {
  encodeElementString,
  formatHumanReadable,
  GS,
  type Gs1Data,
  type Gs1Element,
  type Gs1Input,
  parseElementString,
  parseHumanReadable,
} from './gs1.js';
export { type Gs1AiDefinition, gs1Ai } from './gs1-ais.js';
export { digitalLinkUri, GS1_RESOLVER, parseDigitalLink } from './gs1-digital-link.js';
export { decodeScan } from './scan.js';

export const traceabilityModule: Module = {
  name: 'traceability',
  permissions: TRACEABILITY_PERMISSION_LIST,
  routes: traceabilityRoutes,
};
