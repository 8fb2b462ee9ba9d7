import { Alert, Button, FileButton, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconCircleCheck, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldProblem, post } from '../../api/client';
import { inventoryProblem } from './problems';

type EpcisFieldProblem = FieldProblem & { code?: string };
type Outcome =
  | { kind: 'valid'; events: number }
  | { kind: 'invalid'; problems: EpcisFieldProblem[] }
  | { kind: 'error'; message: string }
  | null;

/** Checks an EPCIS 2.0 document against the standard's rules on the server; nothing is stored. */
export function EpcisValidatePage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const check = async () => {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      setOutcome({ kind: 'error', message: t('inventory.epcis.notJson', { detail: (err as Error).message }) });
      return;
    }
    setBusy(true);
    try {
      const answer = await post<{ valid: true; events: number }>('/traceability/epcis/validate', doc);
      setOutcome({ kind: 'valid', events: answer.events });
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 422 && err.problem.errors) {
        setOutcome({ kind: 'invalid', problems: err.problem.errors });
      } else {
        setOutcome({ kind: 'error', message: inventoryProblem(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={960}>
      <Title order={2}>{t('inventory.epcis.title')}</Title>
      <Text c="dimmed">{t('inventory.epcis.intro')}</Text>
      <Textarea
        label={t('inventory.epcis.document')}
        autosize
        minRows={8}
        maxRows={24}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setOutcome(null);
        }}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <Group>
        <FileButton
          accept=".json,.jsonld,application/json,application/ld+json"
          onChange={(file) =>
            file?.text().then((s) => {
              setText(s);
              setOutcome(null);
            })
          }
        >
          {(props) => (
            <Button variant="default" leftSection={<IconUpload size={16} />} {...props}>
              {t('inventory.epcis.file')}
            </Button>
          )}
        </FileButton>
        <Button leftSection={<IconCircleCheck size={16} />} loading={busy} disabled={text.trim() === ''} onClick={check}>
          {t('inventory.epcis.check')}
        </Button>
      </Group>
      {outcome?.kind === 'valid' && <Alert color="green">{t('inventory.epcis.valid', { count: outcome.events })}</Alert>}
      {outcome?.kind === 'error' && <Alert color="red">{outcome.message}</Alert>}
      {outcome?.kind === 'invalid' && (
        <Alert color="red" title={t('inventory.epcis.invalid', { count: outcome.problems.length })}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('inventory.epcis.pointer')}</Table.Th>
                <Table.Th>{t('inventory.epcis.rule')}</Table.Th>
                <Table.Th>{t('inventory.epcis.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outcome.problems.map((p) => (
                <Table.Tr key={`${p.pointer}|${p.message}`}>
                  <Table.Td ff="monospace">{p.pointer.replace(/^\/body/, '') || '/'}</Table.Td>
                  <Table.Td>{p.code ? t(`inventory.epcis.codes.${p.code.replace(/^error\.epcis\./, '')}`) : ''}</Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
    </Stack>
  );
}
