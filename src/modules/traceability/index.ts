// Traceability: GS1 identification of what is made and shipped (UDI device and production
// identifiers, SSCCs), the UDI labels printed, their signed inspection and their reconciliation, and the UDI database
// export, and a lot's or serial's history as an EPCIS 2.0 document. Owns the label print jobs;
// reads other modules only through their public faces.
import type { Module } from '../../platform/module.js';
import { TRACEABILITY_EVENTS, TRACEABILITY_PERMISSION_LIST, TRACEABILITY_VOCABULARY } from './contract.js';
import { labelInspectionSignable } from './label-inspection.js';
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
export { type CurrentLabelData, inspectLabelJob } from './label-inspection.js';
export { renderLabelPdf, renderLabelZpl } from './label-render.js';
export { getLabelJob, type LabelPrint, labelsOfWorkOrder, listLabelJobs, needsInspection, recordLabelPrint } from './labels.js';
export { decodeScan } from './scan.js';
export { composeUdi, type Udi, type UdiUnit, udiData, udiOrNull } from './udi.js';

export const traceabilityModule: Module = {
  name: 'traceability',
  permissions: TRACEABILITY_PERMISSION_LIST,
  events: TRACEABILITY_EVENTS,
  vocabulary: TRACEABILITY_VOCABULARY,
  auditedTables: {
    label_print_jobs: 'traceability:read',
    label_print_units: 'traceability:read',
    label_inspections: 'traceability:read',
    label_inspection_findings: 'traceability:read',
  },
  signables: [labelInspectionSignable],
  routes: traceabilityRoutes,
};
