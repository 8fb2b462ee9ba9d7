import { Alert, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { formatDecimal, typedDecimal } from '../../components/decimal';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import type { LocationOption, WorkOrderDetail } from './types';

type Mode = 'issue' | 'return';

/**
 * Material to and from a work order at the line, made for a tablet: one big scan field (a GS1
 * barcode or the lot number on the label), the quantity, and a reason when issuing more than the
 * requirement. Every refusal is shown in plain words — a lot on hold, expired, of another item or
 * revision, too little at the site. Each booking carries its own Idempotency-Key, so a repeated
 * tap books once.
 */
export function MaterialPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { workOrderId } = useParams({ strict: false }) as { workOrderId: string };
  const order = useQuery({
    queryKey: ['production', 'work-order', workOrderId],
    queryFn: () => get<WorkOrderDetail>(`/production/work-orders/${workOrderId}`),
  });
  const [mode, setMode] = useState<Mode>('issue');
  const [scan, setScan] = useState('');
  const [quantity, setQuantity] = useState('');
  const [lineNo, setLineNo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const book = useMutation({
    mutationFn: () =>
      api<WorkOrderDetail>('POST', `/production/work-orders/${workOrderId}/${mode === 'issue' ? 'issues' : 'returns'}`, {
        body: {
          ...(scan.trim() ? { scan: scan.trim() } : {}),
          quantity,
          ...(lineNo ? { lineNo: Number(lineNo) } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          ...(mode === 'return' && locationId ? { locationId } : {}),
        },
        idempotencyKey: key,
      }),
    meta: { handlesErrors: true },
    onSuccess: (detail) => {
      client.setQueryData(['production', 'work-order', workOrderId], detail);
      client.invalidateQueries({ queryKey: ['production'] });
      const line = detail.materials.find((m) => String(m.lineNo) === lineNo);
      setDone(t('production.issue.done', { quantity: formatDecimal(quantity), lot: scan.trim() || line?.componentCode || '' }));
      setScan('');
      setQuantity('');
      setReason('');
      setKey(crypto.randomUUID());
      input.current?.focus();
    },
    onError: () => setDone(null),
  });
  const o = order.data;
  if (!o) return order.error ? <Alert color="red">{problemMessage(order.error)}</Alert> : null;
  // A component kept without lots (cartons) is booked by its line and quantity: nothing to scan.
  const untracked = o.materials.find((m) => String(m.lineNo) === lineNo)?.componentTracking === 'none';
  const ready = (untracked || Boolean(scan.trim())) && Boolean(quantity);

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('production.issue.title', { number: o.number })}
        </Title>
        <Button variant="default" onClick={() => navigate({ to: '/production/work-orders/$workOrderId', params: { workOrderId } })}>
          {t('production.issue.back')}
        </Button>
      </Group>
      <SegmentedControl
        size="lg"
        aria-label={t('production.issue.mode')}
        value={mode}
        onChange={(v) => setMode(v as Mode)}
        data={[
          { value: 'issue', label: t('production.issue.issue') },
          { value: 'return', label: t('production.issue.return') },
        ]}
      />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) book.mutate();
        }}
      >
        <Stack>
          <TextInput
            ref={input}
            autoFocus
            size="xl"
            label={t('production.issue.scan')}
            description={t('production.issue.scanHint')}
            value={scan}
            onChange={(e) => setScan(e.currentTarget.value)}
            autoComplete="off"
            required={!untracked}
          />
          <Group grow align="flex-start">
            <TextInput
              size="lg"
              label={t('production.issue.quantity')}
              inputMode="decimal"
              required
              value={quantity}
              onChange={(e) => setQuantity(typedDecimal(e.currentTarget.value))}
            />
            <Select
              size="lg"
              label={t('production.issue.line')}
              placeholder={t('production.issue.anyLine')}
              clearable
              value={lineNo}
              onChange={setLineNo}
              data={o.materials.map((m) => ({ value: String(m.lineNo), label: `${m.lineNo} · ${m.componentCode}` }))}
            />
          </Group>
          {mode === 'return' && (
            <RecordSelect<LocationOption>
              size="lg"
              label={t('production.issue.location')}
              required
              path="/locations"
              filters={{ siteId: o.siteId }}
              value={locationId}
              onChange={(id) => setLocationId(id)}
              option={(l) => `${l.code} · ${l.name}`}
            />
          )}
          <Textarea
            label={t('production.issue.reason')}
            description={t('production.issue.reasonHint')}
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button type="submit" size="xl" loading={book.isPending} disabled={!ready}>
              {mode === 'issue' ? t('production.issue.issue') : t('production.issue.return')}
            </Button>
          </Group>
        </Stack>
      </form>
      {book.error && (
        <Alert color="red" role="alert" title={t('production.issue.refused')} styles={{ message: { fontSize: 20 } }}>
          {problemMessage(book.error)}
        </Alert>
      )}
      {done && (
        <Alert color="teal" role="status">
          {done}
        </Alert>
      )}
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('production.materials.title')}
        </Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('production.materials.line')}</Table.Th>
              <Table.Th>{t('production.materials.component')}</Table.Th>
              <Table.Th>{t('production.materials.required')}</Table.Th>
              <Table.Th>{t('production.materials.issued')}</Table.Th>
              <Table.Th>{t('production.materials.open')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.materials.map((m) => (
              <Table.Tr key={m.lineNo}>
                <Table.Td>{m.lineNo}</Table.Td>
                <Table.Td fz="lg">{m.componentCode}</Table.Td>
                <Table.Td>{formatDecimal(m.requiredQuantity, m.baseUnit)}</Table.Td>
                <Table.Td>{formatDecimal(m.issuedQuantity, m.baseUnit)}</Table.Td>
                <Table.Td>{formatDecimal(m.openQuantity, m.baseUnit)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
