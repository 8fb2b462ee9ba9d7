import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { DefectClassBadge, NcrStatus } from './common';
import { RaiseNcrForm } from './RaiseNcrForm';
import type { NcrSummary } from './types';

/** The NCRs that affect a lot, on the lot's page (the link both ways), and raising one from it. */
export function LotNcrs({ lotId }: { lotId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [raising, setRaising] = useState(false);
  const list = useQuery({
    queryKey: ['list', '/nonconformance/ncrs', { lotId }],
    queryFn: () => get<{ items: NcrSummary[] }>('/nonconformance/ncrs', { lotId, limit: 20 }),
    enabled: can(me, P.ncrRead),
    meta: { handlesErrors: true },
  });
  if (!can(me, P.ncrRead)) return null;
  const items = list.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="lot-ncrs">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('nonconformance.lot.title')}
        </Title>
        {can(me, P.ncrRaise) && (
          <Button size="xs" variant="light" color="orange" onClick={() => setRaising(true)}>
            {t('nonconformance.raise.title')}
          </Button>
        )}
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('nonconformance.lot.none')}
        </Text>
      ) : (
        items.map((n) => (
          <Group key={n.id} gap="xs">
            <AnchorLink to="/nonconformance/ncrs/$ncrId" params={{ ncrId: n.id }}>
              {n.number}
            </AnchorLink>
            <NcrStatus status={n.status} />
            <DefectClassBadge value={n.defectClass} />
            <Text size="sm" c="dimmed" lineClamp={1}>
              {n.description}
            </Text>
          </Group>
        ))
      )}
      {raising && <RaiseNcrForm lotId={lotId} onClose={() => setRaising(false)} />}
    </Stack>
  );
}
