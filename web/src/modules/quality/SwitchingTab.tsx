import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconCheck, IconChevronDown, IconChevronRight, IconX } from '@tabler/icons-react';
import { type UseQueryResult, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { notifySuccess } from '../../components/notify';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { RecordLink, SUPPLIER } from '../masterdata/records';
import { SwitchingBadge } from './common';
import { decisionsFor } from './switching';
import type { Named, SamplingDecision, SamplingDecisionResult, SamplingStateDetail, SamplingStateRow } from './types';

/**
 * Where the ISO 2859-1 switching rules stand for an item, supplier by supplier, and the decisions
 * they leave to the responsible authority (the QA manager): consent to reduced inspection
 * (9.3.3 c), its withdrawal (9.3.4 c) and resuming a discontinued inspection on tightened (9.4),
 * each signed with its reason.
 */

const switchingKey = (itemId: string) => ['quality', 'switching', itemId];
const pairKey = (itemId: string, supplierId: string) => [...switchingKey(itemId), supplierId];

/** The item's switching state per supplier, by supplier code. */
export function useSwitchingStates(itemId: string) {
  return useQuery({
    queryKey: switchingKey(itemId),
    queryFn: async () => (await get<{ items: SamplingStateRow[] }>('/quality/sampling', { itemId })).items,
    meta: { handlesErrors: true },
  });
}

const DECISION_COLORS: Record<SamplingDecision, string> = { permitReduced: 'teal', withdrawReduced: 'blue', resume: 'orange' };

/** Before acting on the plan page: the suppliers whose lots of this item cannot be accepted. */
export function DiscontinuedNotice({ states }: { states: SamplingStateRow[] | undefined }) {
  const { t } = useTranslation();
  const discontinued = (states ?? []).filter((s) => s.severity === 'discontinued');
  if (discontinued.length === 0) return null;
  return (
    <Alert color="red" title={t('quality.switching.discontinuedTitle')} data-testid="switching-discontinued">
      <Stack gap={4}>
        {discontinued.map((s) => (
          <Text key={s.id} size="sm">
            {t('quality.switching.discontinued', { supplier: `${s.supplier.code} — ${s.supplier.name}` })}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

export function SwitchingTab({ item, states }: { item: Named; states: UseQueryResult<SamplingStateRow[]> }) {
  const { t } = useTranslation();
  const me = useMe();
  const [deciding, setDeciding] = useState<{ state: SamplingStateRow; decision: SamplingDecision } | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);

  if (states.isPending) return <Loader aria-label={t('common.loading')} />;
  if (states.isError) return <Alert color="red">{problemMessage(states.error)}</Alert>;
  const rows = states.data;
  const mayDecide = can(me, P.qualitySignApproved);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('quality.switching.intro')}
      </Text>
      {rows.length === 0 ? (
        <Text c="dimmed" data-testid="switching-none">
          {t('quality.switching.none')}
        </Text>
      ) : (
        <Stack gap="sm" data-testid="switching">
          {rows.map((s) => (
            <SupplierState
              key={s.id}
              state={s}
              decisions={mayDecide ? decisionsFor(s) : []}
              onDecide={(decision) => setDeciding({ state: s, decision })}
              showSignatures={expanded === s.supplierId}
              onShowSignatures={(show) => setExpanded(show ? s.supplierId : null)}
            />
          ))}
        </Stack>
      )}
      {deciding && (
        <DecisionDialog
          item={item}
          state={deciding.state}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onSigned={() => setExpanded(deciding.state.supplierId)}
        />
      )}
    </Stack>
  );
}

/** One supplier's switching state: what its next lot of the item is inspected on, and why. */
function SupplierState(props: {
  state: SamplingStateRow;
  decisions: SamplingDecision[];
  onDecide: (decision: SamplingDecision) => void;
  showSignatures: boolean;
  onShowSignatures: (show: boolean) => void;
}) {
  const { t } = useTranslation();
  const { state: s, showSignatures } = props;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="switching-row">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="md" align="center">
          <div>
            <SupplierName state={s} />
          </div>
          <span data-testid="switching-severity">
            <SwitchingBadge severity={s.severity} />
          </span>
        </Group>
        {props.decisions.length > 0 && (
          <Group gap="xs">
            {props.decisions.map((decision) => (
              <Button key={decision} size="xs" variant="light" color={DECISION_COLORS[decision]} onClick={() => props.onDecide(decision)}>
                {t(`quality.decisions.${decision}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" verticalSpacing="xs" mt="sm">
        <Fact label={t('quality.switching.score')} testId="switching-score">
          {s.switchingScore}
        </Fact>
        <Fact label={t('quality.switching.recentLots')}>
          <RecentLots lots={s.recentLots} />
        </Fact>
        <Fact label={t('quality.switching.reducedPermitted')} testId="reduced-permitted">
          {s.reducedPermitted ? t('common.yes') : t('common.no')}
        </Fact>
        <Fact label={t('quality.switching.notAcceptedOnTightened')} testId="not-accepted-on-tightened">
          {s.notAcceptedOnTightened}
        </Fact>
        <Fact label={t('quality.switching.updatedAt')}>{formatDateTime(s.updatedAt)}</Fact>
      </SimpleGrid>
      <Button
        mt="xs"
        size="compact-sm"
        variant="subtle"
        aria-expanded={showSignatures}
        leftSection={showSignatures ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        onClick={() => props.onShowSignatures(!showSignatures)}
      >
        {t('quality.switching.signatures')}
      </Button>
      {showSignatures && (
        <div style={{ marginTop: 'var(--mantine-spacing-xs)' }}>
          <DecisionSignatures state={s} />
        </div>
      )}
    </Paper>
  );
}

/** A labelled figure of a supplier's state. */
function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div" fw={500} data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** The supplier as other screens name it: a link to its page for those who may read master data. */
function SupplierName({ state }: { state: SamplingStateRow }) {
  const me = useMe();
  if (can(me, P.masterdataRead)) {
    return <RecordLink kind={SUPPLIER} id={state.supplierId} code={state.supplier.code} name={state.supplier.name} />;
  }
  return (
    <>
      <Text size="sm">{state.supplier.code}</Text>
      <Text size="xs" c="dimmed">
        {state.supplier.name}
      </Text>
    </>
  );
}

/** The verdicts of the latest lots on the current severity, oldest first. */
function RecentLots({ lots }: { lots: boolean[] }) {
  const { t } = useTranslation();
  const last = lots.slice(-5);
  if (last.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="nowrap" data-testid="recent-lots">
      {last.map((accepted, i) => {
        const said = accepted ? t('quality.switching.lotAccepted') : t('quality.switching.lotNotAccepted');
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a lot's place in the sequence is its identity
          <Tooltip key={i} label={said}>
            <ThemeIcon size="sm" radius="xl" variant="light" color={accepted ? 'green' : 'red'} role="img" aria-label={said}>
              {accepted ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}
            </ThemeIcon>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** The signatures of the decisions taken on the item from this supplier, oldest first. */
function DecisionSignatures({ state }: { state: SamplingStateRow }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: pairKey(state.itemId, state.supplierId),
    queryFn: () => get<SamplingStateDetail>(`/quality/sampling/${state.itemId}/${state.supplierId}`),
    meta: { handlesErrors: true },
  });
  if (detail.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (detail.isError) return <Alert color="red">{problemMessage(detail.error)}</Alert>;
  const { signatures } = detail.data;
  return (
    <Stack gap="xs" data-testid="switching-signatures">
      {signatures.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('quality.switching.noSignatures')}
        </Text>
      ) : (
        signatures.map((s) => <Manifestation key={s.id} signature={s} />)
      )}
    </Stack>
  );
}

/** One decision of the responsible authority, signed (meaning approved) with its reason as the comment. */
function DecisionDialog(props: {
  item: Named;
  state: SamplingStateRow;
  decision: SamplingDecision;
  onClose: () => void;
  onSigned: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  // One key per opened dialog: a retried or double-clicked decision is taken once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const { state, decision } = props;
  const said = t(`quality.decisions.${decision}`);
  const sign = async (input: SignatureInput): Promise<Signature> => {
    const decided = await api<SamplingDecisionResult>('POST', `/quality/sampling/${state.itemId}/${state.supplierId}/decisions`, {
      body: { decision, ...input },
      idempotencyKey,
    });
    await queryClient.invalidateQueries({ queryKey: switchingKey(state.itemId) });
    notifySuccess(t('quality.switching.decided', { decision: said, supplier: state.supplier.code }));
    props.onSigned();
    return decided.signature;
  };
  return (
    <SignatureDialog
      opened
      onClose={props.onClose}
      meaning="approved"
      recordLabel={t('quality.switching.recordLabel', {
        item: `${props.item.code} — ${props.item.name}`,
        supplier: `${state.supplier.code} — ${state.supplier.name}`,
        decision: said,
      })}
      description={t(`quality.switching.help.${decision}`)}
      totp={me.totpEnrolled}
      commentRequired
      sign={sign}
    />
  );
}
