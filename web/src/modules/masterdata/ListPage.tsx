import { Button, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { can, useMe } from '../../auth/session';
import { DataTable, type DataTableProps } from '../../components/DataTable';

/**
 * A master data list: its title, what the list is for, the table, and the button that opens the
 * form adding one, offered only to people with `create.permission`.
 */
export function ListPage<T>({
  title,
  help,
  create,
  children,
  ...table
}: DataTableProps<T> & {
  title: string;
  help?: string;
  create: { label: string; permission: string; form: (onClose: () => void) => ReactNode };
  /** Dialogs of the rows (a location's change), beside the create form. */
  children?: ReactNode;
}) {
  const me = useMe();
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      {help && (
        <Text size="sm" c="dimmed">
          {help}
        </Text>
      )}
      <DataTable<T>
        {...table}
        actions={
          can(me, create.permission) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {create.label}
            </Button>
          )
        }
      />
      {creating && create.form(() => setCreating(false))}
      {children}
    </Stack>
  );
}
