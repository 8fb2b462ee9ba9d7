import type { ReactNode } from 'react';
import { AnchorLink } from '../../components/AnchorLink';
import { StatusBadge } from '../../components/StatusBadge';

const STATUS_COLORS: Record<string, string> = { open: 'orange', closed: 'green', cancelled: 'gray' };
const CLASS_COLORS: Record<string, string> = { critical: 'red', major: 'orange', minor: 'yellow' };

export function NcrStatus({ status }: { status: string }) {
  return <StatusBadge prefix="nonconformance.statuses" value={status} colors={STATUS_COLORS} />;
}

export function DefectClassBadge({ value }: { value: string }) {
  return <StatusBadge prefix="nonconformance.defectClasses" value={value} colors={CLASS_COLORS} />;
}

const LOT_COLORS: Record<string, string> = { quarantine: 'yellow', released: 'green', on_hold: 'orange', rejected: 'red' };

/** A lot's status as inventory names it (this folder links to the lot page rather than importing its screens). */
export function LotStatusBadge({ status }: { status: string }) {
  return <StatusBadge prefix="inventory.lotStatuses" value={status} colors={LOT_COLORS} />;
}

export function LotLink({ lotId, children }: { lotId: string; children: ReactNode }) {
  return (
    <AnchorLink to="/inventory/lots/$lotId" params={{ lotId }} style={{ whiteSpace: 'nowrap' }}>
      {children}
    </AnchorLink>
  );
}
