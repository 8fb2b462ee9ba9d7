import { Accordion, Alert, Badge, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { problemMessage } from '../../i18n';
import type { Permission, Role } from './types';

/** Roles with what they grant, and the permission catalog: read-only, as roles are defined by the product. */
export function RolesPage() {
  const { t } = useTranslation();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => get<{ items: Role[] }>('/roles') });
  const permissions = useQuery({ queryKey: ['permissions'], queryFn: () => get<{ items: Permission[] }>('/permissions') });
  if (roles.isPending || permissions.isPending) return <Loader aria-label={t('common.loading')} />;
  if (roles.isError || permissions.isError) return <Alert color="red">{problemMessage(roles.error ?? permissions.error)}</Alert>;
  const describe = new Map(permissions.data.items.map((p) => [p.name, p.description]));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.roles')}
      </Title>
      <Accordion variant="separated" multiple>
        {roles.data.items.map((r) => (
          <Accordion.Item key={r.id} value={r.id}>
            <Accordion.Control>
              <Group gap="sm">
                <Text fw={600}>{r.name}</Text>
                {r.requiresTotp && <Badge variant="light">{t('roles.requiresTotp')}</Badge>}
                <Text size="sm" c="dimmed">
                  {r.description}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="sm" mb="xs">
                {t('roles.grants')}:{' '}
                {r.grants.map((g) => (
                  <Code key={g} mr={4}>
                    {g}
                  </Code>
                ))}
              </Text>
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('roles.permission')}</Table.Th>
                    <Table.Th>{t('roles.description')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.permissions.map((p) => (
                    <Table.Tr key={p}>
                      <Table.Td>
                        <Code>{p}</Code>
                      </Table.Td>
                      <Table.Td>{describe.get(p) ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
