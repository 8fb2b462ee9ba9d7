import { Alert, Badge, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DEVICE_KINDS } from '@server/modules/identity/contract';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, post } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { problemMessage } from '../../i18n';
import type { Device } from './types';

const PATH = '/devices';

/**
 * Registered devices (21 CFR 11.10(h)): machines record execution data only through a token bound
 * to one of them, at its work center. Administrators of devices register and deactivate them.
 */
export function DevicesPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [registering, setRegistering] = useState(false);
  const [deactivating, setDeactivating] = useState<Device | null>(null);
  const manage = can(me, P.devices);
  const columns: Column<Device>[] = [
    { key: 'code', labelKey: 'devices.code', sortable: true },
    { key: 'name', labelKey: 'devices.name' },
    { key: 'kind', labelKey: 'devices.kind', text: (d) => t(`devices.kinds.${d.kind}`) },
    { key: 'workCenter', labelKey: 'devices.workCenter', text: (d) => `${d.workCenter.code} — ${d.workCenter.name}` },
    {
      key: 'active',
      labelKey: 'devices.status',
      text: (d) => (d.active ? 'active' : `deactivated ${d.deactivatedAt ?? ''} ${d.deactivatedReason ?? ''}`),
      render: (d) =>
        !d.active ? (
          <Badge color="gray" title={`${formatDateTime(d.deactivatedAt)} — ${d.deactivatedReason ?? ''}`}>
            {t('devices.deactivated')}
          </Badge>
        ) : manage ? (
          <Button size="compact-xs" color="red" variant="light" onClick={() => setDeactivating(d)}>
            {t('devices.deactivate')}
          </Button>
        ) : (
          <Badge color="green">{t('devices.active')}</Badge>
        ),
    },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.devices')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('devices.help')}
      </Text>
      <DataTable<Device>
        id="devices"
        path={PATH}
        columns={columns}
        rowKey={(d) => d.id}
        defaultSort="code"
        searchable={false}
        actions={
          manage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setRegistering(true)}>
              {t('devices.register')}
            </Button>
          )
        }
      />
      {registering && <RegisterDeviceModal onClose={() => setRegistering(false)} />}
      {deactivating && <DeactivateDeviceModal device={deactivating} onClose={() => setDeactivating(null)} />}
    </Stack>
  );
}

interface WorkCenterOption {
  id: string;
  code: string;
  name: string;
}

function RegisterDeviceModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string | null>('test_station');
  const [workCenterId, setWorkCenterId] = useState<string | null>(null);
  const centers = useQuery({
    queryKey: ['list', '/work-centers', { active: true }, 'all'],
    queryFn: () => get<Page<WorkCenterOption>>('/work-centers', { active: true, limit: 200 }),
  });
  const register = useMutation({
    mutationFn: () => post<Device>(PATH, { code, name, kind, workCenterId }),
    meta: { handlesErrors: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['list', PATH] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('devices.register')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          register.mutate();
        }}
      >
        <Stack>
          {register.error && <Alert color="red">{problemMessage(register.error)}</Alert>}
          <TextInput
            label={t('devices.code')}
            required
            data-autofocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
          />
          <TextInput label={t('devices.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label={t('devices.kind')}
            data={DEVICE_KINDS.map((k) => ({ value: k, label: t(`devices.kinds.${k}`) }))}
            allowDeselect={false}
            value={kind}
            onChange={setKind}
          />
          <Select
            label={t('devices.workCenter')}
            required
            searchable
            data={(centers.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} — ${c.name}` }))}
            value={workCenterId}
            onChange={setWorkCenterId}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!code.trim() || !name.trim() || !workCenterId} loading={register.isPending}>
              {t('devices.register')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeactivateDeviceModal({ device, onClose }: { device: Device; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const deactivate = useMutation({
    mutationFn: () => post<Device>(`${PATH}/${device.id}/deactivate`, { reason }),
    meta: { handlesErrors: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['list', PATH] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('devices.deactivateTitle', { code: device.code })} centered>
      <Stack>
        <Text size="sm">{t('devices.deactivateHelp')}</Text>
        {deactivate.error && <Alert color="red">{problemMessage(deactivate.error)}</Alert>}
        <Textarea label={t('devices.reason')} required data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" disabled={!reason.trim()} loading={deactivate.isPending} onClick={() => deactivate.mutate()}>
            {t('devices.deactivate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
