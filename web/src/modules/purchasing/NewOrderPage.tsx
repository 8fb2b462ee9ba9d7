import { Alert, Anchor, Breadcrumbs, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, currentSiteId } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { useMe } from '../../auth/session';
import { useSchemaForm } from '../../components/form';
import { RecordSelect } from '../../components/RecordSelect';
import { useActionKey } from './common';
import { emptyLine, type LineInput, OrderLinesEditor } from './OrderLinesEditor';
import { placeProblem, purchasingProblem } from './problems';
import type { PurchaseOrder, Supplier } from './types';

const LAST_CURRENCY = 'mf.purchasing.currency';

interface NewOrder {
  [key: string]: unknown;
  supplierId: string;
  siteId: string;
  currency: string;
  notes: string;
  lines: LineInput[];
}

/** ISO 4217 codes the browser knows, the buyer's last choice first. */
export function useCurrencies(): string[] {
  return useMemo(() => {
    const all = Intl.supportedValuesOf('currency');
    const last = localStorage.getItem(LAST_CURRENCY);
    return last && all.includes(last) ? [last, ...all.filter((c) => c !== last)] : all;
  }, []);
}

/** A new draft purchase order: supplier, site, currency and lines, checked by the server's schema. */
export function NewOrderPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useActionKey();
  const currencies = useCurrencies();
  const form = useSchemaForm<NewOrder>(useRequestSchema('POST', '/purchasing/orders'), {
    supplierId: '',
    siteId: currentSiteId() ?? me.sites[0]?.id ?? '',
    currency: localStorage.getItem(LAST_CURRENCY) ?? '',
    notes: '',
    lines: [emptyLine()],
  });
  const create = useMutation({
    mutationFn: (body: NewOrder) => api<PurchaseOrder>('POST', '/purchasing/orders', { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onSuccess: (po) => {
      localStorage.setItem(LAST_CURRENCY, po.currency);
      void queryClient.invalidateQueries({ queryKey: ['list', '/purchasing/orders'] });
      void navigate({ to: '/purchasing/orders/$orderId', params: { orderId: po.id } });
    },
    onError: (err) => placeProblem(form, err),
  });
  const fieldErrorsShown = Object.keys(form.errors).length > 0;

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/purchasing/orders">
          {t('nav.purchaseOrders')}
        </Anchor>
        <Text>{t('purchasing.orders.new')}</Text>
      </Breadcrumbs>
      <Title order={1} size="h2">
        {t('purchasing.orders.new')}
      </Title>
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          {create.error && !fieldErrorsShown && (
            <Alert color="red" role="alert">
              {purchasingProblem(create.error)}
            </Alert>
          )}
          <Paper withBorder p="md" radius="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <RecordSelect<Supplier>
                label={t('purchasing.orders.supplier')}
                required
                path="/suppliers"
                option={(s) => `${s.code} — ${s.name}`}
                value={form.values.supplierId || null}
                error={form.errors.supplierId}
                onChange={(id) => form.set('supplierId', id ?? '')}
              />
              <Select
                label={t('purchasing.orders.site')}
                required
                allowDeselect={false}
                data={me.sites.map((s) => ({ value: s.id, label: `${s.code} — ${s.name}` }))}
                {...form.field('siteId')}
              />
              <Select label={t('purchasing.orders.currency')} required searchable data={currencies} {...form.field('currency')} />
            </SimpleGrid>
            <Textarea mt="sm" label={t('purchasing.orders.notes')} autosize minRows={2} {...form.field('notes')} />
          </Paper>
          <OrderLinesEditor
            lines={form.values.lines}
            onChange={(lines) => form.set('lines', lines)}
            errors={form.errors}
            currency={form.values.currency}
            supplierId={form.values.supplierId || null}
          />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to="/purchasing/orders">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('purchasing.orders.createDraft')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
