import {
  Alert,
  Button,
  Card,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconCheck, IconPackageImport, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, get, type Page, upload } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDecimal, remaining, typedDecimal } from '../../components/decimal';
import { useSchemaForm } from '../../components/form';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from '../inventory/common';
import { AttachCertificate, CertificateInput, certificateProblem, RecordedHash, sha256Of, type Uploaded } from './certificates';
import { Figure, useActionKey } from './common';
import { purchasingProblem } from './problems';
import type { Certificate, Conditions, Location, OrderDetail, OrderLine, PurchaseOrder, Receipt } from './types';

interface NewReceipt {
  [key: string]: unknown;
  poLineId: string;
  quantity: string;
  locationId: string;
  supplierLot: string;
  manufacturedOn: string;
  expiresOn: string;
  conditions?: Conditions;
}

export interface Posted {
  receipt: Receipt;
  uploaded: Uploaded | null;
  uploadError: unknown;
}

/** Receiving conditions as the API takes them; a condition left empty is absent. */
function conditionsOf(temperature: string, unit: 'C' | 'F', humidity: string): Conditions | undefined {
  const t = typedDecimal(temperature);
  const h = typedDecimal(humidity);
  if (!t && !h) return undefined;
  return { ...(t ? { temperature: { value: t, unit } } : {}), ...(h ? { humidity: { value: h, unit: '%RH' } } : {}) };
}

/** What arrived against one line, into a quarantine location of the order's site; then its certificate. */
export function ReceiptForm(props: { order: PurchaseOrder; line: OrderLine; onBack: () => void; onPosted: (p: Posted) => void }) {
  const { t } = useTranslation();
  const { order, line } = props;
  const queryClient = useQueryClient();
  const [idempotencyKey] = useActionKey();
  const form = useSchemaForm<NewReceipt>(useRequestSchema('POST', '/purchasing/receipts'), {
    poLineId: line.id,
    quantity: '',
    locationId: '',
    supplierLot: '',
    manufacturedOn: '',
    expiresOn: '',
  });
  const [temperature, setTemperature] = useState('');
  const [temperatureUnit, setTemperatureUnit] = useState<'C' | 'F'>('C');
  const [humidity, setHumidity] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const { data: me } = useSuspenseQuery(meQuery);
  const [deviationId, setDeviationId] = useState<string | null>(null);
  const setConditions = (next: { temperature?: string; unit?: 'C' | 'F'; humidity?: string }) => {
    const tv = next.temperature ?? temperature;
    const tu = next.unit ?? temperatureUnit;
    const hv = next.humidity ?? humidity;
    setTemperature(tv);
    setTemperatureUnit(tu);
    setHumidity(hv);
    form.set('conditions', conditionsOf(tv, tu, hv));
  };

  const locations = useQuery({
    queryKey: ['list', '/locations', { siteId: order.siteId, kind: 'quarantine' }, 'receiving'],
    queryFn: () => get<Page<Location>>('/locations', { siteId: order.siteId, kind: 'quarantine', limit: 200 }),
    select: (page) => page.items.filter((l) => l.active),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the first load picks the one location there is
  useEffect(() => {
    if (locations.data?.length === 1 && !form.values.locationId) form.set('locationId', locations.data[0]!.id);
  }, [locations.data]);

  const post = useMutation({
    mutationFn: async (body: NewReceipt): Promise<Posted> => {
      const receipt = await api<Receipt>('POST', '/purchasing/receipts', { body, idempotencyKey });
      if (!file) return { receipt, uploaded: null, uploadError: null };
      try {
        const [certificate, localSha256] = await Promise.all([
          upload<Certificate>(`/purchasing/receipts/${receipt.id}/certificates`, file),
          sha256Of(file),
        ]);
        return { receipt, uploaded: { certificate, localSha256 }, uploadError: null };
      } catch (err) {
        return { receipt, uploaded: null, uploadError: err };
      }
    },
    meta: { handlesErrors: true },
    onSuccess: (posted) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/purchasing/orders'] });
      void queryClient.invalidateQueries({ queryKey: ['purchasing', 'order', order.id] });
      void queryClient.invalidateQueries({ queryKey: ['purchasing', 'receipts', order.id] });
      props.onPosted(posted);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.code === 'error.purchasing.overReceipt') {
        form.showProblem(new ApiError({ ...err.problem, errors: [{ pointer: '/body/quantity', message: purchasingProblem(err) }] }));
      } else form.showProblem(err);
    },
  });
  const refusal = post.error instanceof ApiError ? post.error.problem.code : undefined;
  const fileRefused = file !== null && certificateProblem(file) !== null;

  return (
    <form noValidate onSubmit={form.submit((body) => post.mutate(body))}>
      <Stack gap="md">
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Text fw={700} size="lg">
                {order.number} · {t('purchasing.lines.line', { n: line.lineNo })}
              </Text>
              <Text>
                {line.item.code} — {line.item.name}
              </Text>
              <Text size="sm" c="dimmed">
                {order.supplier.code} — {order.supplier.name}
              </Text>
            </Stack>
            <Button variant="default" size="lg" leftSection={<IconArrowLeft size={20} />} onClick={props.onBack}>
              {t('purchasing.receive.otherLine')}
            </Button>
          </Group>
          <SimpleGrid cols={4} mt="sm">
            <Figure label={t('purchasing.lines.ordered')} value={formatDecimal(line.quantity, line.unit)} />
            <Figure label={t('purchasing.lines.received')} value={formatDecimal(line.receivedQuantity, line.unit)} />
            <Figure
              label={t('purchasing.lines.open')}
              value={formatDecimal(remaining(line.quantity, line.receivedQuantity), line.unit)}
              strong
            />
            <Figure label={t('purchasing.lines.maxAccepted')} value={formatDecimal(line.openQuantity, line.unit)} />
          </SimpleGrid>
        </Paper>

        {post.error && refusal !== 'error.purchasing.overReceipt' && !Object.keys(form.errors).length && (
          <Alert
            color="red"
            role="alert"
            title={refusal === 'error.purchasing.supplierNotApproved' ? t('purchasing.receive.refusedTitle') : undefined}
            data-testid="receipt-refused"
          >
            {purchasingProblem(post.error)}
          </Alert>
        )}

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            size="lg"
            label={t('purchasing.receive.quantity')}
            required
            inputMode="decimal"
            rightSection={<Text pr="sm">{line.unit}</Text>}
            rightSectionWidth={64}
            {...form.field('quantity')}
            onBlur={() => form.values.quantity && form.set('quantity', typedDecimal(form.values.quantity))}
            data-autofocus
          />
          <TextInput size="lg" label={t('purchasing.receive.supplierLot')} required {...form.field('supplierLot')} />
          {can(me, 'deviations:read') && (
            <RecordSelect<{ id: string; number: string; title: string; remainingQuantity: string; unit: string }>
              size="lg"
              label={t('deviations.receiptDeviation')}
              description={t('deviations.receiptDeviationHelp')}
              path="/deviations"
              filters={{ status: 'approved', itemId: line.itemId, supplierId: order.supplierId }}
              option={(d) => `${d.number} — ${d.title} (${d.remainingQuantity} ${d.unit})`}
              value={deviationId}
              onChange={(id) => {
                setDeviationId(id);
                form.set('deviationId', id ?? undefined);
              }}
              clearable
            />
          )}
          <TextInput size="lg" type="date" label={t('purchasing.receive.manufacturedOn')} {...form.field('manufacturedOn')} />
          <TextInput
            size="lg"
            type="date"
            label={t('purchasing.receive.expiresOn')}
            description={t('purchasing.receive.expiresOnHelp')}
            {...form.field('expiresOn')}
          />
          <Stack gap={4}>
            <Group gap="sm" align="flex-end" wrap="nowrap">
              <TextInput
                size="lg"
                style={{ flex: 1 }}
                label={t('purchasing.receive.temperature')}
                inputMode="decimal"
                value={temperature}
                error={form.errors['conditions.temperature.value']}
                onChange={(e) => setConditions({ temperature: e.currentTarget.value })}
              />
              <SegmentedControl
                size="lg"
                aria-label={t('purchasing.receive.temperatureUnit')}
                data={[
                  { value: 'C', label: '°C' },
                  { value: 'F', label: '°F' },
                ]}
                value={temperatureUnit}
                onChange={(v) => setConditions({ unit: v as 'C' | 'F' })}
              />
            </Group>
          </Stack>
          <TextInput
            size="lg"
            label={t('purchasing.receive.humidity')}
            inputMode="decimal"
            rightSection={<Text pr="sm">%RH</Text>}
            rightSectionWidth={64}
            value={humidity}
            error={form.errors['conditions.humidity.value']}
            onChange={(e) => setConditions({ humidity: e.currentTarget.value })}
          />
          <Select
            size="lg"
            label={t('purchasing.receive.location')}
            description={t('purchasing.receive.locationHelp', { site: order.site.code })}
            required
            allowDeselect={false}
            data={(locations.data ?? []).map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }))}
            nothingFoundMessage={t('purchasing.receive.noQuarantine')}
            {...form.field('locationId')}
          />
          <CertificateInput size="lg" value={file} onChange={setFile} label={t('purchasing.receive.certificate')} />
        </SimpleGrid>

        <Group justify="flex-end">
          <Button type="submit" size="xl" leftSection={<IconPackageImport size={24} />} loading={post.isPending} disabled={fileRefused}>
            {t('purchasing.receive.post')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The receipt posted: its number, the lot waiting in quarantine, the certificate and its hash. */
export function ReceiptDone(props: {
  posted: Posted;
  order: PurchaseOrder;
  onAnotherLine: (po: PurchaseOrder) => void;
  onStartOver: () => void;
}) {
  const { t } = useTranslation();
  const { receipt } = props.posted;
  const [uploads, setUploads] = useState<Uploaded[]>(props.posted.uploaded ? [props.posted.uploaded] : []);
  const order = useQuery({
    queryKey: ['purchasing', 'order', props.order.id],
    queryFn: () => get<OrderDetail>(`/purchasing/orders/${props.order.id}`),
  });
  const stillOpen = order.data && (order.data.status === 'sent' || order.data.status === 'partially_received');
  return (
    <Stack gap="md" data-testid="receipt-done">
      <Card withBorder padding="lg" radius="md">
        <Group gap="md" align="flex-start" wrap="nowrap">
          <ThemeIcon color="green" size={48} radius="xl">
            <IconCheck size={28} />
          </ThemeIcon>
          <Stack gap="xs" style={{ flex: 1 }}>
            <Title order={2} size="h3">
              {t('purchasing.receive.posted')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Stack gap={0}>
                <Text size="sm" c="dimmed">
                  {t('purchasing.receipts.number')}
                </Text>
                <AnchorLink
                  to="/purchasing/receipts/$receiptId"
                  params={{ receiptId: receipt.id }}
                  fw={700}
                  size="xl"
                  data-testid="receipt-number"
                >
                  {receipt.number}
                </AnchorLink>
              </Stack>
              <Stack gap={0}>
                <Text size="sm" c="dimmed">
                  {t('purchasing.receipts.lot')}
                </Text>
                <Group gap="xs">
                  <Text fw={700} size="xl">
                    <LotLink lotId={receipt.lotId} testId="lot-number">
                      {receipt.lot.number}
                    </LotLink>
                  </Text>
                  <LotStatusBadge status={receipt.lot.status} />
                </Group>
              </Stack>
              <Stack gap={0}>
                <Text size="sm" c="dimmed">
                  {t('purchasing.receipts.quantity')}
                </Text>
                <Text fw={700} size="xl">
                  {formatDecimal(receipt.quantity, receipt.unit)}
                </Text>
              </Stack>
            </SimpleGrid>
            <Text size="sm">{t('purchasing.receive.quarantineHelp')}</Text>
          </Stack>
        </Group>
      </Card>

      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('purchasing.certificates.title')}
          </Title>
          {props.posted.uploadError !== null && uploads.length === 0 && (
            <Alert color="red" role="alert" title={t('purchasing.certificates.uploadFailed')}>
              {problemMessage(props.posted.uploadError)}
            </Alert>
          )}
          {uploads.map((u) => (
            <Stack key={u.certificate.id} gap={4} data-testid="uploaded-certificate">
              <Text fw={600}>{u.certificate.fileName}</Text>
              <RecordedHash sha256={u.certificate.sha256} localSha256={u.localSha256} />
            </Stack>
          ))}
          {uploads.length === 0 && props.posted.uploadError === null && <Text c="dimmed">{t('purchasing.certificates.none')}</Text>}
          <AttachCertificate receiptId={receipt.id} onUploaded={(u) => setUploads([...uploads, u])} />
        </Stack>
      </Paper>

      <Group justify="flex-end" gap="sm">
        {stillOpen && (
          <Button size="lg" variant="default" onClick={() => props.onAnotherLine(order.data!)}>
            {t('purchasing.receive.anotherLine', { number: props.order.number })}
          </Button>
        )}
        <Button size="lg" leftSection={<IconRefresh size={20} />} onClick={props.onStartOver}>
          {t('purchasing.receive.another')}
        </Button>
      </Group>
    </Stack>
  );
}
