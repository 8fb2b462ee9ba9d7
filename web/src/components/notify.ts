import { notifications } from '@mantine/notifications';
import i18n, { problemMessage } from '../i18n';

/** A red toast for a failed request: the translated problem code, else the server's detail. */
export function notifyError(err: unknown): void {
  notifications.show({ color: 'red', title: i18n.t('common.failed'), message: problemMessage(err), autoClose: 8000 });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}
