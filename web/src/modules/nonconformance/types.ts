import type { NcrDetail, NcrSummary } from '@server/modules/nonconformance/contract';
import type { Signature } from '../../components/signatures';

export type { NcrSummary };
export type NcrRecord = NcrDetail & { signatures: Signature[] };
export {
  DEFECT_CLASSES,
  DISPOSITION_KINDS,
  MANUAL_NCR_SOURCES,
  NCR_STATUSES,
} from '@server/modules/nonconformance/contract';
