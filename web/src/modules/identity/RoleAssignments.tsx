import { ActionIcon, Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import { meQuery } from '../../auth/session';
import { notifySuccess } from '../../components/notify';
import type { Role, RoleAssignment, User } from './types';

const ALL_SITES = '*';

/**
 * A user's roles, each for one site or for every site; saved as a whole with PUT /users/:id/roles.
 * Nobody edits their own roles; adding a role that signs asks for the reason the audit trail keeps,
 * and roles waiting for a second administrator are decided here by another one.
 */
export function RoleAssignments({ user, editable: mayAdminister }: { user: User; editable: boolean }) {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const own = user.id === me.id;
  const editable = mayAdminister && !own;
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => get<{ items: Role[] }>('/roles') });
  const [draft, setDraft] = useState<RoleAssignment[]>(user.roles.map(({ roleId, siteId }) => ({ roleId, siteId })));
  const [roleId, setRoleId] = useState<string | null>(null);
  const [siteId, setSiteId] = useState<string>(ALL_SITES);
  const [reason, setReason] = useState('');
  const queryClient = useQueryClient();
  const saved = (u: User, message: string) => {
    queryClient.setQueryData(['user', user.id], u);
    setDraft(u.roles.map(({ roleId: r, siteId: s }) => ({ roleId: r, siteId: s })));
    setReason('');
    notifySuccess(message);
  };
  const save = useMutation({
    mutationFn: (next: RoleAssignment[]) => api<User>('PUT', `/users/${user.id}/roles`, { body: next, reason: reason.trim() || undefined }),
    onSuccess: (u) => saved(u, t('users.rolesSaved')),
  });
  const decide = useMutation({
    mutationFn: ({ requestId, decision }: { requestId: string; decision: 'approved' | 'rejected' }) =>
      post<User>(`/role-grant-requests/${requestId}/${decision}`, {}),
    onSuccess: (u, { decision }) => saved(u, t(decision === 'approved' ? 'users.grantApproved' : 'users.grantRejected')),
  });
  // Roles that need a second factor sign or administer: granting one is a reasoned change.
  const sensitive = (id: string) => roles.data?.items.find((r) => r.id === id)?.requiresTotp ?? false;
  const needsReason = draft.some((a) => sensitive(a.roleId) && !user.roles.some((r) => r.roleId === a.roleId && r.siteId === a.siteId));

  const roleName = (id: string) => roles.data?.items.find((r) => r.id === id)?.name ?? id;
  const siteName = (id: string | null) => (id === null ? t('users.allSites') : (me.sites.find((s) => s.id === id)?.code ?? id));
  const dirty = JSON.stringify(draft) !== JSON.stringify(user.roles.map(({ roleId: r, siteId: s }) => ({ roleId: r, siteId: s })));

  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('users.roles')}
      </Title>
      {own && mayAdminister && (
        <Alert color="gray" data-testid="own-roles">
          {t('users.ownRolesHint')}
        </Alert>
      )}
      {draft.length === 0 ? (
        <Text c="dimmed">{t('users.noRoles')}</Text>
      ) : (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('prefs.site')}</Table.Th>
              {editable && <Table.Th w={60} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.map((a, i) => (
              <Table.Tr key={`${a.roleId}-${a.siteId}`}>
                <Table.Td>{roleName(a.roleId)}</Table.Td>
                <Table.Td>{siteName(a.siteId)}</Table.Td>
                {editable && (
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('users.removeRole', { role: roleName(a.roleId) })}
                      onClick={() => setDraft(draft.filter((_, j) => j !== i))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <Group align="flex-end" gap="sm">
          <Select
            label={t('users.role')}
            data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={roleId}
            onChange={setRoleId}
            searchable
            w={220}
          />
          <Select
            label={t('prefs.site')}
            data={[
              { value: ALL_SITES, label: t('users.allSites') },
              ...me.sites.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` })),
            ]}
            value={siteId}
            onChange={(v) => setSiteId(v ?? ALL_SITES)}
            allowDeselect={false}
            w={200}
          />
          <Button
            variant="light"
            disabled={!roleId}
            onClick={() => {
              const next = { roleId: roleId!, siteId: siteId === ALL_SITES ? null : siteId };
              if (!draft.some((a) => a.roleId === next.roleId && a.siteId === next.siteId)) setDraft([...draft, next]);
              setRoleId(null);
            }}
          >
            {t('users.addRole')}
          </Button>
          <Button disabled={!dirty || (needsReason && !reason.trim())} loading={save.isPending} onClick={() => save.mutate(draft)}>
            {t('common.save')}
          </Button>
        </Group>
      )}
      {editable && needsReason && (
        <TextInput
          label={t('users.grantReason')}
          description={t('users.grantReasonHint')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={1000}
          required
        />
      )}
      {user.pendingRoles.length > 0 && (
        <Stack gap="xs">
          <Text fw={500}>{t('users.pendingRoles')}</Text>
          {user.pendingRoles.map((p) => (
            <Group key={p.requestId} justify="space-between">
              <Text size="sm">
                {roleName(p.roleId)} · {siteName(p.siteId)} — {t('users.requestedBy', { name: p.requestedBy, reason: p.reason })}
              </Text>
              {editable && p.requestedById !== me.id && (
                <Group gap="xs">
                  <Button
                    size="xs"
                    loading={decide.isPending}
                    onClick={() => decide.mutate({ requestId: p.requestId, decision: 'approved' })}
                  >
                    {t('users.approveGrant')}
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    loading={decide.isPending}
                    onClick={() => decide.mutate({ requestId: p.requestId, decision: 'rejected' })}
                  >
                    {t('users.rejectGrant')}
                  </Button>
                </Group>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
