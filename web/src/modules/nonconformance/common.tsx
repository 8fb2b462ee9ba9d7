import { StatusBadge } from '../../components/StatusBadge';

const STATUS_COLORS: Record<string, string> = { open: 'orange', closed: 'green', cancelled: 'gray' };
const CLASS_COLORS: Record<string, string> = { critical: 'red', major: 'orange', minor: 'yellow' };

export function NcrStatus({ status }: { status: string }) {
  return <StatusBadge prefix="nonconformance.statuses" value={status} colors={STATUS_COLORS} />;
}

export function DefectClassBadge({ value }: { value: string }) {
  return <StatusBadge prefix="nonconformance.defectClasses" value={value} colors={CLASS_COLORS} />;
}
