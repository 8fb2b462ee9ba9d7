import { Button, Group, Stack, Text } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { type QueryKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { QueryStatus } from './common';
import { useFormMutation } from './forms';
import type { ProblemForm } from './problems';
import type { ItemRevision } from './types';

/**
 * A revision's structure, its BOM and its routing: each read on its own and, in a draft, replaced
 * as a whole with the revision's If-Match, so a BOM or routing is always one reviewed state.
 */

type Part = 'bom' | 'routing';

export function useStructure<D>(revision: ItemRevision, part: Part) {
  return useQuery({ queryKey: ['item-revision', revision.id, part], queryFn: () => get<D>(`/item-revisions/${revision.id}/${part}`) });
}

/** The part as read, with its edit button where the person may edit; the editor takes its place while open. */
export function StructurePart<D>(props: {
  structure: ReturnType<typeof useStructure<D>>;
  help: string;
  editLabel: string;
  editable: boolean;
  editor: (data: D, done: () => void) => ReactNode;
  children: (data: D) => ReactNode;
}) {
  const { structure } = props;
  const [editing, setEditing] = useState(false);
  if (!structure.isSuccess) return <QueryStatus query={structure} size="sm" />;
  if (editing) return props.editor(structure.data, () => setEditing(false));
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {props.help}
        </Text>
        {props.editable && (
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
            {props.editLabel}
          </Button>
        )}
      </Group>
      {props.children(structure.data)}
    </Stack>
  );
}

/**
 * Saves the edited part whole. The revision's version counts the change, so the revision is read
 * again before the editor closes: the next edit sends the right If-Match.
 */
export function useSaveStructure<Body, Saved>(
  revision: ItemRevision,
  part: Part,
  form: ProblemForm,
  options: { savedMessage: string; onDone: () => void; alsoStale?: QueryKey },
) {
  const queryClient = useQueryClient();
  return useFormMutation(form, {
    send: (body: Body) => api<Saved>('PUT', `/item-revisions/${revision.id}/${part}`, { body, version: revision.version }),
    onSaved: async (saved) => {
      queryClient.setQueryData(['item-revision', revision.id, part], saved);
      await queryClient.invalidateQueries({ queryKey: ['item-revision', revision.id], exact: true });
      if (options.alsoStale) void queryClient.invalidateQueries({ queryKey: options.alsoStale });
      notifySuccess(options.savedMessage);
      options.onDone();
    },
  });
}

/** Below an editor: add a row on the left; cancel or save the whole part on the right. */
export function EditorActions(props: { addLabel: string; onAdd: () => void; saveLabel: string; saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between">
      <Button variant="light" leftSection={<IconPlus size={16} />} onClick={props.onAdd}>
        {props.addLabel}
      </Button>
      <Group gap="xs">
        <Button variant="default" onClick={props.onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={props.saving}>
          {props.saveLabel}
        </Button>
      </Group>
    </Group>
  );
}
