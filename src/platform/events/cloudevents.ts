import type { DomainEvent } from './types.js';

/**
 * CloudEvents 1.0 structured JSON for everything that leaves the process (webhooks, NATS).
 * `type` is reverse-DNS prefixed as the spec recommends (`com.mediforge.inventory.lot.quarantined`);
 * `source` names the tenant, so (source, id) is unique; `subject` is `<aggregate type>/<id>`.
 * Extension attributes (lower-case alphanumerics per spec): `tenantid`, `siteid`, `sequence`
 * (the per-aggregate order as a decimal string), `requestid`.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
  tenantid: string;
  siteid?: string;
  sequence: string;
  requestid?: string;
}

export const CLOUDEVENT_TYPE_PREFIX = 'com.mediforge.';

export function toCloudEvent(event: DomainEvent): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source: `/mediforge/${event.tenantCode}`,
    type: `${CLOUDEVENT_TYPE_PREFIX}${event.type}`,
    subject: `${event.aggregate.type}/${event.aggregate.id}`,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    data: event.data,
    tenantid: event.tenantId,
    ...(event.siteId ? { siteid: event.siteId } : {}),
    sequence: String(event.sequence),
    ...(event.requestId ? { requestid: event.requestId } : {}),
  };
}
