import { Alert, Button, Card, Group, List, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTruckDelivery } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import { formatDecimal } from '../../components/decimal';
import { formatDate } from '../../components/format';
import { problemMessage } from '../../i18n';
import type { OrderDetail, ScannedLot } from './types';

interface PickLine {
  lineNo: number;
  openQuantity: string;
  lots: Array<{ lotId: string; lotNumber: string; expiresOn: string | null; take: string }>;
  shortfall: string;
}

/**
 * Picking at the shelf, made for a tablet: the lots to take (first expiry first), one big scan
 * field that keeps the focus, each scan checked against the order at once — a lot on hold, in
 * quarantine, expired or of another item is refused in plain words — then ship what was scanned.
 */
export function PickPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { orderId } = useParams({ strict: false }) as { orderId: string };
  const order = useQuery({ queryKey: ['sales', 'order', orderId], queryFn: () => get<OrderDetail>(`/sales/orders/${orderId}`) });
  const picks = useQuery({ queryKey: ['sales', 'pick', orderId], queryFn: () => get<PickLine[]>(`/sales/orders/${orderId}/pick-list`) });
  const [scan, setScan] = useState('');
  const [scanned, setScanned] = useState<ScannedLot[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const input = useRef<HTMLInputElement>(null);

  const check = useMutation({
    mutationFn: (text: string) => post<ScannedLot>(`/sales/orders/${orderId}/scan`, { scan: text }),
    onSuccess: (lot) => {
      setProblem(null);
      setScanned((all) => (all.some((s) => s.lotId === lot.lotId) ? all : [...all, lot]));
    },
    onError: (err) => setProblem(problemMessage(err)),
    onSettled: () => {
      setScan('');
      input.current?.focus();
    },
  });
  const ship = useMutation({
    mutationFn: () => {
      const lines = [...new Set(scanned.map((s) => s.lineNo))].map((lineNo) => ({
        lineNo,
        lots: scanned.filter((s) => s.lineNo === lineNo).map((s) => ({ lotId: s.lotId, quantity: s.quantity })),
      }));
      return api<{ id: string }>('POST', '/sales/shipments', { body: { orderId, lines }, idempotencyKey: key });
    },
    onSuccess: (shipment) => navigate({ to: '/sales/shipments/$shipmentId', params: { shipmentId: shipment.id } }),
    onError: (err) => setProblem(problemMessage(err)),
  });

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('sales.pick.title', { number: order.data?.number ?? '' })}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (scan.trim()) check.mutate(scan.trim());
        }}
      >
        <TextInput
          ref={input}
          autoFocus
          size="xl"
          label={t('sales.pick.scan')}
          description={t('sales.pick.scanHint')}
          value={scan}
          onChange={(e) => setScan(e.currentTarget.value)}
          onBlur={() => setTimeout(() => input.current?.focus(), 0)}
          autoComplete="off"
        />
      </form>
      {problem && (
        <Alert color="red" role="alert" title={t('sales.pick.refused')} styles={{ message: { fontSize: 20 } }}>
          {problem}
        </Alert>
      )}
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('sales.pick.scanned', { count: scanned.length })}
        </Text>
        <Table aria-label={t('sales.pick.scannedTable')}>
          <Table.Tbody>
            {scanned.map((s) => (
              <Table.Tr key={s.lotId}>
                <Table.Td>{t('sales.lines.lineNo', { line: s.lineNo })}</Table.Td>
                <Table.Td fz="lg">{s.lotNumber}</Table.Td>
                <Table.Td>{formatDecimal(s.quantity)}</Table.Td>
                <Table.Td>{formatDate(s.expiresOn)}</Table.Td>
                <Table.Td>
                  <Button variant="subtle" color="red" onClick={() => setScanned((all) => all.filter((x) => x.lotId !== s.lotId))}>
                    {t('sales.pick.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end" mt="md">
          <Button
            size="xl"
            leftSection={<IconTruckDelivery size={24} />}
            disabled={scanned.length === 0}
            loading={ship.isPending}
            onClick={() => ship.mutate()}
          >
            {t('sales.pick.ship')}
          </Button>
        </Group>
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('sales.pick.suggested')}
        </Text>
        {picks.data?.map((line) => (
          <Stack key={line.lineNo} gap={2} mb="sm">
            <Text size="sm">
              {t('sales.lines.lineNo', { line: line.lineNo })} · {t('sales.lines.open')} {formatDecimal(line.openQuantity)}
              {line.shortfall !== '0' ? ` · ${t('sales.pick.shortfall', { quantity: formatDecimal(line.shortfall) })}` : ''}
            </Text>
            <List size="sm">
              {line.lots.map((l) => (
                <List.Item key={`${l.lotId}`}>
                  {l.lotNumber} × {formatDecimal(l.take)} {l.expiresOn ? `(${formatDate(l.expiresOn)})` : ''}
                </List.Item>
              ))}
            </List>
          </Stack>
        ))}
      </Card>
    </Stack>
  );
}
