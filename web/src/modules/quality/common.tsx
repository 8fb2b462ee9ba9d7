import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/StatusBadge';
import type { SwitchingSeverity, Verdict } from './types';

/** Building blocks the inspection screens share. */

/** One colour per severity on every screen: normal blue, tightened orange, reduced teal, discontinued red. */
const SWITCHING_COLORS: Record<SwitchingSeverity, string> = { normal: 'blue', tightened: 'orange', reduced: 'teal', discontinued: 'red' };

export function SeverityBadge({ severity }: { severity: string }) {
  return <StatusBadge prefix="quality.severities" value={severity} colors={SWITCHING_COLORS} />;
}

/** Where the switching rules stand for an item from a supplier: a severity, or discontinued. */
export function SwitchingBadge({ severity }: { severity: SwitchingSeverity }) {
  return <StatusBadge prefix="quality.switchingSeverities" value={severity} colors={SWITCHING_COLORS} />;
}

const VERDICT_COLORS: Record<Verdict, string> = { accepted: 'green', 'not-accepted': 'red', 'accepted-reinstate-normal': 'yellow' };

/** What the sample so far says about the lot. */
export function VerdictBadge({
  verdict,
  provisional,
  size = 'lg',
}: {
  verdict: Verdict;
  provisional?: boolean;
  size?: 'md' | 'lg' | 'xl';
}) {
  const { t } = useTranslation();
  const said = t(`quality.verdicts.${verdict}`);
  return (
    <Badge
      size={size}
      color={provisional ? 'gray' : VERDICT_COLORS[verdict]}
      variant={provisional ? 'light' : 'filled'}
      data-testid="verdict"
      data-verdict={verdict}
      data-provisional={provisional ? 'true' : undefined}
    >
      {provisional ? t('quality.verdicts.soFar', { verdict: said }) : said}
    </Badge>
  );
}
