import { StatusBadge } from '../../components/StatusBadge';
import type { ReturnStatus } from './types';

const RETURN_COLORS: Record<ReturnStatus, string> = {
  authorised: 'blue',
  partially_received: 'orange',
  received: 'orange',
  dispositioned: 'teal',
  closed: 'green',
  cancelled: 'gray',
};

/** A customer return's status: on the list, the shipment and the return itself. */
export function ReturnStatusBadge({ status }: { status: ReturnStatus }) {
  return <StatusBadge prefix="sales.returnStatuses" value={status} colors={RETURN_COLORS} />;
}
