import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A secret the server shows exactly once (one-time password, API token): copy it now or lose it. */
export function ShownOnce(props: { opened: boolean; onClose: () => void; title: string; help: string; secret: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered closeOnClickOutside={false}>
      <Stack>
        <Alert color="yellow">{t('common.shownOnce')}</Alert>
        <Text size="sm">{props.help}</Text>
        <Code block data-testid={props.testId} fz="md" style={{ wordBreak: 'break-all' }}>
          {props.secret}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={props.secret}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={props.onClose}>{t('common.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
