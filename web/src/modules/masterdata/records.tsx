import { type MantineSize, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { linkOptions, useNavigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { AnchorLink } from '../../components/AnchorLink';
import type { Column } from '../../components/DataTable';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { sendChanges, useCreateKey, useFormMutation } from './forms';

/**
 * The master data records with a page of their own (items, work centers, equipment, suppliers,
 * customers): one description per kind, so that the list, the page and the form that creates or
 * changes a record agree on where it is read, cached, audited and opened.
 */

const pages = {
  item: (id: string) => linkOptions({ to: '/items/$itemId', params: { itemId: id } }),
  workCenter: (id: string) => linkOptions({ to: '/work-centers/$workCenterId', params: { workCenterId: id } }),
  equipment: (id: string) => linkOptions({ to: '/equipment/$equipmentId', params: { equipmentId: id } }),
  supplier: (id: string) => linkOptions({ to: '/suppliers/$supplierId', params: { supplierId: id } }),
  customer: (id: string) => linkOptions({ to: '/customers/$customerId', params: { customerId: id } }),
};

export interface RecordKind {
  /** The endpoint that lists and creates them; one record is `${path}/${id}`. */
  path: string;
  /** The query key of one record (`[queryKey, id]`), as its page reads it. */
  queryKey: string;
  /** The table the audit trail names it by. */
  entity: string;
  page: (id: string) => ReturnType<(typeof pages)[keyof typeof pages]>;
  /** Catalog keys: the create button and form, and the title of the form that changes one (`{{code}}`). */
  createLabel: string;
  editTitle: string;
}

export const ITEM: RecordKind = {
  path: '/items',
  queryKey: 'item',
  entity: 'items',
  page: pages.item,
  createLabel: 'masterdata.items.create',
  editTitle: 'masterdata.items.edit',
};
export const WORK_CENTER: RecordKind = {
  path: '/work-centers',
  queryKey: 'work-center',
  entity: 'work_centers',
  page: pages.workCenter,
  createLabel: 'masterdata.workCenters.create',
  editTitle: 'masterdata.workCenters.edit',
};
export const EQUIPMENT: RecordKind = {
  path: '/equipment',
  queryKey: 'equipment',
  entity: 'equipment',
  page: pages.equipment,
  createLabel: 'masterdata.equipment.create',
  editTitle: 'masterdata.equipment.edit',
};
export const SUPPLIER: RecordKind = {
  path: '/suppliers',
  queryKey: 'supplier',
  entity: 'suppliers',
  page: pages.supplier,
  createLabel: 'masterdata.suppliers.create',
  editTitle: 'masterdata.suppliers.edit',
};
export const CUSTOMER: RecordKind = {
  path: '/customers',
  queryKey: 'customer',
  entity: 'customers',
  page: pages.customer,
  createLabel: 'masterdata.customers.create',
  editTitle: 'masterdata.customers.edit',
};

interface Versioned {
  id: string;
  code: string;
  version: number;
}

/** One record as its page shows it; the form that changes it writes the answer into the same entry. */
export function useRecord<R>(kind: RecordKind, id: string) {
  return useQuery({ queryKey: [kind.queryKey, id], queryFn: () => get<R>(`${kind.path}/${id}`) });
}

/**
 * A record another one names (a BOM line's component, an entry's supplier): its code, linking to
 * its page, with its name below or, `inline`, beside it.
 */
export function RecordLink(props: { kind: RecordKind; id: string; code: string; name: string; inline?: boolean }) {
  const link = <AnchorLink {...props.kind.page(props.id)}>{props.code}</AnchorLink>;
  if (props.inline)
    return (
      <>
        {link}{' '}
        <Text span size="sm" c="dimmed">
          {props.name}
        </Text>
      </>
    );
  return (
    <>
      {link}
      <Text size="xs" c="dimmed">
        {props.name}
      </Text>
    </>
  );
}

/** The list column of a record's code, linking to its page. */
export function codeColumn<R extends { id: string; code: string }>(kind: RecordKind, labelKey: string): Column<R> {
  return {
    key: 'code',
    labelKey,
    render: (r) => (
      <AnchorLink {...kind.page(r.id)} style={{ whiteSpace: 'nowrap' }}>
        {r.code}
      </AnchorLink>
    ),
  };
}

/**
 * The form that creates a record (POST, one Idempotency-Key per opened form, then its page
 * opens) or changes one (PATCH of what changed, with If-Match), checked by the server's schema
 * of that request. `nullable` fields emptied in a change are cleared; `fieldOf` puts a refusal
 * without field errors (a code in use) on its field.
 */
export function useRecordForm<R extends Versioned, Values extends Record<string, unknown>>(
  kind: RecordKind,
  record: R | undefined,
  initial: Values,
  options: { onClose: () => void; nullable?: readonly string[]; fieldOf?: Record<string, string> },
) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm<Values>(useRequestSchema(record ? 'PATCH' : 'POST', record ? `${kind.path}/:id` : kind.path), initial);
  const save = useFormMutation(form, {
    send: (body: Partial<Values>) =>
      record
        ? api<R>('PATCH', `${kind.path}/${record.id}`, { body, version: record.version })
        : api<R>('POST', kind.path, { body, idempotencyKey: key }),
    onSaved: (saved) => {
      queryClient.setQueryData([kind.queryKey, saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', kind.path] });
      void queryClient.invalidateQueries({ queryKey: ['audit', kind.entity, saved.id] });
      notifySuccess(t('common.saved'));
      options.onClose();
      if (!record) void navigate(kind.page(saved.id));
    },
    fieldOf: options.fieldOf,
  });
  const submit = form.submit((body) => {
    if (!record) return save.mutate(body);
    sendChanges(record, body, { nullable: options.nullable, send: save.mutate, unchanged: options.onClose });
  });
  return { form, save, submit };
}

/** The modal of `useRecordForm`: titled and submitted as a new record, or as the change of `record`. */
export function RecordFormModal(props: {
  kind: RecordKind;
  record: Versioned | undefined;
  editor: Pick<ReturnType<typeof useRecordForm>, 'save' | 'submit'>;
  onClose: () => void;
  size?: MantineSize;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { kind, record } = props;
  return (
    <FormModal
      title={record ? t(kind.editTitle, { code: record.code }) : t(kind.createLabel)}
      size={props.size}
      onClose={props.onClose}
      onSubmit={props.editor.submit}
      save={props.editor.save}
      submitLabel={record ? t('common.save') : t(kind.createLabel)}
    >
      {props.children}
    </FormModal>
  );
}
