import { Alert, Button, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAdjustments, IconArrowsExchange, IconCircleCheck, IconCircleX, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { isZero } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import { InspectionStatus, StatusBadge } from '../../components/StatusBadge';
import type { Signature, SignatureInput } from '../../components/signatures';
import { LotNcrs } from '../nonconformance/LotNcrs';
import { LotLabels } from '../traceability/LabelsPanel';
import { AdjustDialog } from './AdjustDialog';
import { daysBetween, expiryState, todayIn, useCurrentSite } from './calendar';
import { ExpiryDate, LotStatusBadge, Quantity, refreshInventory, StockMoves } from './common';
import { EpcisButton } from './EpcisButton';
import { GenealogyPanel } from './GenealogyPanel';
import { HoldDialog } from './HoldDialog';
import { MovementsTable, signedQuantity } from './MovementsTable';
import { inventoryProblem } from './problems';
import { TransferDialog } from './TransferDialog';
import { IN_STOCK_STATUSES, type InspectionSummary, type Lot, type LotDetail, type LotStep, type Movement } from './types';

type Open = { kind: 'step'; step: LotStep } | { kind: 'transfer' | 'adjust'; locationId?: string } | null;

const STEP_PERMISSION: Record<LotStep, string> = {
  hold: P.inventoryHold,
  unhold: P.inventoryHold,
  release: P.inventorySignReleased,
  reject: P.inventorySignRejected,
};

export const lotQueryKey = (id: string) => ['inventory', 'lot', id] as const;

/**
 * A lot or serial: who made it and where it is, the steps its state machine allows (by the
 * person's permissions), its ledger rows, status history, signatures (its own and its
 * adjustments') and audit trail.
 */
export function LotPage() {
  const { t } = useTranslation();
  const { lotId } = useParams({ from: '/app/inventory/lots/$lotId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const site = useCurrentSite();
  const today = todayIn(site?.timeZone);
  const detail = useQuery({ queryKey: lotQueryKey(lotId), queryFn: () => get<LotDetail>(`/inventory/lots/${lotId}`) });
  const [open, setOpen] = useState<Open>(null);

  if (detail.isPending) return <Loader aria-label={t('common.loading')} />;
  if (detail.isError) return <Alert color="red">{inventoryProblem(detail.error)}</Alert>;
  const { lot, steps, signatures, statusChanges, movements } = detail.data;
  const subject = { item: lot.item, lot: { id: lot.id, number: lot.number }, stock: lot.stock };
  const label = `${t(`inventory.lotKinds.${lot.kind}`)} ${lot.number} · ${lot.item.code} — ${lot.item.name}`;

  /** Releases or rejects by signature; answers the signature the step made, as the server manifests it. */
  const signStep = async (step: 'release' | 'reject', input: SignatureInput): Promise<Signature> => {
    await post(`/inventory/lots/${lot.id}/${step}`, {
      ...(input.comment ? { reason: input.comment } : {}),
      signature: { password: input.password, ...(input.totpCode ? { totpCode: input.totpCode } : {}) },
    });
    const fresh = await queryClient.fetchQuery({
      queryKey: lotQueryKey(lot.id),
      queryFn: () => get<LotDetail>(`/inventory/lots/${lot.id}`),
      staleTime: 0,
    });
    refreshInventory(queryClient, lot.id);
    const made = fresh.signatures.find((s) => s.entity === 'lots' && !signatures.some((before) => before.id === s.id));
    if (!made) throw new Error(t('signature.missing'));
    return made;
  };

  const stepButtons = steps
    .filter((s) => can(me, STEP_PERMISSION[s]))
    .map((s) => (
      <Button key={s} variant="light" color={STEP_COLORS[s]} leftSection={STEP_ICONS[s]} onClick={() => setOpen({ kind: 'step', step: s })}>
        {t(`inventory.steps.${s}`)}
      </Button>
    ));
  const inStock = lot.stock.length > 0;
  const moveButtons = [
    can(me, P.inventoryMove) && inStock && (
      <Button key="transfer" variant="default" leftSection={<IconArrowsExchange size={16} />} onClick={() => setOpen({ kind: 'transfer' })}>
        {t('inventory.transfer.action')}
      </Button>
    ),
    can(me, P.inventoryAdjust) && (
      <Button key="adjust" variant="default" leftSection={<IconAdjustments size={16} />} onClick={() => setOpen({ kind: 'adjust' })}>
        {t('inventory.adjust.action')}
      </Button>
    ),
  ];

  return (
    <>
      <RecordPage
        list={{ to: '/inventory/lots', labelKey: 'nav.lots' }}
        title={lot.number}
        status={
          <>
            <StatusBadge prefix="inventory.lotKinds" value={lot.kind} />
            <LotStatusBadge status={lot.status} />
          </>
        }
        subtitle={`${lot.item.code} — ${lot.item.name}${lot.revision ? ` · ${t('inventory.lot.rev', { revision: lot.revision })}` : ''}`}
        actions={
          <>
            {stepButtons}
            {moveButtons}
            {can(me, P.traceabilityRead) && <EpcisButton lotId={lot.id} number={lot.number} />}
          </>
        }
        notice={<LotAlerts detail={detail.data} today={today} />}
        record={{ entity: 'lots', id: lot.id }}
        details={
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <LotIdentity lot={lot} today={today} />
            <Stack gap="lg">
              <StockPerLocation
                lot={lot}
                onTransfer={can(me, P.inventoryMove) ? (locationId) => setOpen({ kind: 'transfer', locationId }) : undefined}
                onAdjust={can(me, P.inventoryAdjust) ? (locationId) => setOpen({ kind: 'adjust', locationId }) : undefined}
              />
              <LinkedRecords lot={lot} />
              <LotNcrs lotId={lot.id} />
            </Stack>
          </SimpleGrid>
        }
        tabs={[
          { value: 'movements', labelKey: 'inventory.lot.movements', count: movements.length, panel: <MovementsTable lotId={lot.id} /> },
          {
            value: 'status',
            labelKey: 'inventory.lot.statusHistory',
            count: statusChanges.length,
            panel: <StatusHistory detail={detail.data} />,
          },
          { value: 'genealogy', labelKey: 'inventory.genealogy.title', panel: <GenealogyPanel lot={lot} /> },
          ...(can(me, P.traceabilityRead)
            ? [{ value: 'labels', labelKey: 'traceability.labels.title', panel: <LotLabels lot={{ id: lot.id, number: lot.number }} /> }]
            : []),
        ]}
        signed
        signatures={<LotSignatures signatures={signatures} movements={movements} />}
        signatureCount={signatures.length}
      />
      {open?.kind === 'step' && (open.step === 'hold' || open.step === 'unhold') && (
        <HoldDialog lot={lot} step={open.step} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'step' && (open.step === 'release' || open.step === 'reject') && (
        <SignatureDialog
          opened
          onClose={() => setOpen(null)}
          meaning={open.step === 'release' ? 'released' : 'rejected'}
          recordLabel={label}
          totp={me.totpEnrolled}
          commentRequired={open.step === 'reject'}
          sign={(input) => signStep(open.step as 'release' | 'reject', input)}
        />
      )}
      {open?.kind === 'transfer' && <TransferDialog subject={subject} fromLocationId={open.locationId} onClose={() => setOpen(null)} />}
      {open?.kind === 'adjust' && <AdjustDialog subject={subject} locationId={open.locationId} onClose={() => setOpen(null)} />}
    </>
  );
}

const STEP_COLORS: Record<LotStep, string> = { hold: 'orange', unhold: 'blue', release: 'green', reject: 'red' };
const STEP_ICONS: Record<LotStep, ReactNode> = {
  hold: <IconLock size={16} />,
  unhold: <IconLockOpen size={16} />,
  release: <IconCircleCheck size={16} />,
  reject: <IconCircleX size={16} />,
};

/** What a person must know before touching the lot: it is held (why, by whom), expired or about to. */
function LotAlerts({ detail, today }: { detail: LotDetail; today: string }) {
  const { t } = useTranslation();
  const { lot, statusChanges } = detail;
  const alerts: ReactNode[] = [];
  if (lot.status === 'on_hold') {
    const held = [...statusChanges].reverse().find((c) => c.toStatus === 'on_hold');
    alerts.push(
      <Alert key="hold" color="orange" title={t('inventory.lot.heldTitle')} icon={<IconLock size={18} />}>
        {held
          ? t('inventory.lot.heldBy', {
              name: held.actor.name,
              at: formatDateTime(held.changedAt),
              reason: lot.holdReason ?? held.reason ?? '',
            })
          : lot.holdReason}
      </Alert>,
    );
  }
  const expiry = expiryState(lot.expiresOn, today);
  if (lot.expiresOn && IN_STOCK_STATUSES.includes(lot.status) && !isZero(lot.onHand) && (expiry === 'expired' || expiry === 'soon')) {
    alerts.push(
      <Alert key="expiry" color={expiry === 'expired' ? 'red' : 'yellow'}>
        {expiry === 'expired'
          ? t('inventory.lot.expiredOn', { date: formatDate(lot.expiresOn) })
          : t('inventory.lot.expiresIn', { date: formatDate(lot.expiresOn), count: daysBetween(today, lot.expiresOn) })}
      </Alert>,
    );
  }
  return alerts.length ? <Stack gap="xs">{alerts}</Stack> : null;
}

function LotIdentity({ lot, today }: { lot: Lot; today: string }) {
  const { t } = useTranslation();
  return (
    <Details
      labelWidth={170}
      rows={[
        ['inventory.lot.item', `${lot.item.code} — ${lot.item.name}`],
        ['inventory.lot.revision', lot.revision],
        ['inventory.lot.kind', t(`inventory.lotKinds.${lot.kind}`)],
        ['inventory.lot.number', lot.number],
        ['inventory.lot.status', <LotStatusBadge key="s" status={lot.status} />],
        ['inventory.lot.supplier', lot.supplier ? `${lot.supplier.code} — ${lot.supplier.name}` : null],
        ['inventory.lot.supplierLot', lot.supplierLot],
        ['inventory.lot.manufacturedOn', lot.manufacturedOn ? formatDate(lot.manufacturedOn) : null],
        [
          'inventory.lot.expiresOn',
          lot.expiresOn ? <ExpiryDate key="e" expiresOn={lot.expiresOn} today={today} flag={!isZero(lot.onHand)} /> : null,
        ],
        ['inventory.lot.onHand', <Quantity key="q" value={lot.onHand} unit={lot.item.baseUnit} strong />],
        ['inventory.lot.createdAt', formatDateTime(lot.createdAt)],
      ]}
    />
  );
}

function StockPerLocation(props: { lot: Lot; onTransfer?: (locationId: string) => void; onAdjust?: (locationId: string) => void }) {
  const { t } = useTranslation();
  const { lot } = props;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('inventory.lot.stockPerLocation')}
      </Title>
      {lot.stock.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('inventory.lot.noStock')}
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" data-testid="stock-per-location">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('inventory.onHand.location')}</Table.Th>
              <Table.Th>{t('inventory.onHand.locationKind')}</Table.Th>
              <Table.Th ta="right">{t('inventory.onHand.quantity')}</Table.Th>
              {(props.onTransfer || props.onAdjust) && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lot.stock.map((s) => (
              <Table.Tr key={s.location.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {s.location.code}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {s.location.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <div style={{ minWidth: 'max-content' }}>
                    <StatusBadge prefix="masterdata.locationKinds" value={s.location.kind} />
                  </div>
                </Table.Td>
                <Table.Td ta="right">
                  <Quantity value={s.quantity} unit={lot.item.baseUnit} strong />
                </Table.Td>
                {(props.onTransfer || props.onAdjust) && (
                  <Table.Td>
                    <StockMoves
                      onTransfer={props.onTransfer && (() => props.onTransfer?.(s.location.id))}
                      onAdjust={props.onAdjust && (() => props.onAdjust?.(s.location.id))}
                    />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The incoming inspection and goods receipt of a purchased lot, for people who may read them. */
function LinkedRecords({ lot }: { lot: Lot }) {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const inspections = useQuery({
    queryKey: ['inventory', 'lot', lot.id, 'inspections'],
    queryFn: () => get<{ items: InspectionSummary[] }>('/quality/inspections', { lotId: lot.id, limit: 5 }),
    enabled: can(me, P.qualityRead),
    meta: { handlesErrors: true },
  });
  const inspection = inspections.data?.items[0];
  const receipt = useQuery({
    queryKey: ['inventory', 'lot', lot.id, 'receipt', inspection?.receiptId],
    queryFn: () => get<{ id: string; number: string }>(`/purchasing/receipts/${inspection!.receiptId}`),
    enabled: Boolean(inspection?.receiptId) && can(me, P.purchasingRead),
    meta: { handlesErrors: true },
  });
  if (!inspection) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('record.related')}
      </Title>
      <Details
        labelWidth={170}
        rows={[
          [
            'inventory.lot.inspection',
            <Group key="inspection" gap="sm">
              <AnchorLink to="/quality/inspections/$inspectionId" params={{ inspectionId: inspection.id }}>
                {inspection.number}
              </AnchorLink>
              <InspectionStatus status={inspection.status} />
            </Group>,
          ],
          ...(can(me, P.purchasingRead)
            ? [
                [
                  'inventory.lot.receipt',
                  <AnchorLink key="receipt" to="/purchasing/receipts/$receiptId" params={{ receiptId: inspection.receiptId }}>
                    {receipt.data?.number ?? t('inventory.lot.openReceipt')}
                  </AnchorLink>,
                ] as [string, ReactNode],
              ]
            : []),
        ]}
      />
    </Stack>
  );
}

function StatusHistory({ detail }: { detail: LotDetail }) {
  const { t } = useTranslation();
  const { statusChanges, signatures } = detail;
  if (statusChanges.length === 0) {
    return <Text c="dimmed">{t('inventory.lot.noStatusChanges', { status: t(`inventory.lotStatuses.${detail.lot.status}`) })}</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder verticalSpacing="sm" data-testid="status-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.statusChange.at')}</Table.Th>
            <Table.Th>{t('inventory.statusChange.fromTo')}</Table.Th>
            <Table.Th>{t('inventory.statusChange.who')}</Table.Th>
            <Table.Th>{t('inventory.statusChange.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...statusChanges].reverse().map((c) => {
            const signature = c.signatureId ? signatures.find((s) => s.id === c.signatureId) : undefined;
            return (
              <Table.Tr key={c.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.changedAt)}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <LotStatusBadge status={c.fromStatus} />→<LotStatusBadge status={c.toStatus} />
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.actor.name}</Table.Td>
                <Table.Td>
                  <Stack gap={6}>
                    <Text size="sm">{c.reason ?? '—'}</Text>
                    {signature && <Manifestation signature={signature} />}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Every signature on the lot or its adjustments, each said with what it signed. */
function LotSignatures({ signatures, movements }: { signatures: Signature[]; movements: Movement[] }) {
  const { t } = useTranslation();
  if (signatures.length === 0) return <Text c="dimmed">{t('signature.none')}</Text>;
  return (
    <Stack gap="md">
      {signatures.map((s) => {
        const movement = s.entity === 'stock_movements' ? movements.find((m) => m.id === s.recordId) : undefined;
        return (
          <Stack key={s.id} gap={4}>
            <Text size="sm" c="dimmed">
              {movement ? (
                <>
                  {t('inventory.signatures.adjustment', {
                    quantity: signedQuantity(movement).replace(/^-/, '−'),
                    unit: movement.item.baseUnit,
                    location: (movement.fromLocation ?? movement.toLocation)?.code ?? '',
                  })}
                  {movement.reason ? ` — ${movement.reason}` : ''}
                </>
              ) : (
                t(`inventory.signatures.${s.meaning}`, { defaultValue: t('inventory.signatures.lot') })
              )}
            </Text>
            <Manifestation signature={s} />
          </Stack>
        );
      })}
    </Stack>
  );
}
