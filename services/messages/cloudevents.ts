/**
 * The notifications to gemeenten as they go on the wire: CloudEvents 1.0, structured JSON mode, on
 * `gemeente.<code>.samenloop`. The engine decided the content and the id (services/engine/outputs.ts);
 * this adds the envelope: `source` and `time` come from the moment of processing. The BSN is only in
 * `data.client`, never in `subject` or the Kafka key. Schema: schemas/notification.schema.json.
 */
import { EVENT_TYPE, type EventType, type NotificationOutput } from '../engine/outputs';

/**
 * The version of schemas/notification.schema.json the events follow (its `$id`), in each event's
 * `dataschema`. A change to `data` that a consumer could trip over gets a new version; the previous schema
 * stays under schemas/ (notification.v1.schema.json).
 */
export const NOTIFICATION_DATASCHEMA = 'urn:samenloop:schema:notification:2';

export interface CloudEvent<D> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: typeof NOTIFICATION_DATASCHEMA;
  data: D;
}

/** What the envelope takes from the moment of processing. */
export interface EnvelopeContext {
  /** CloudEvents `source`, e.g. 'urn:samenloop:processor'. */
  source: string;
  /** Europe/Amsterdam local time with its offset: the CloudEvents `time`. */
  now: string;
}

export function cloudEvent<O extends NotificationOutput>(o: O, ctx: EnvelopeContext): CloudEvent<O['data']> {
  return {
    specversion: '1.0',
    id: o.id,
    source: ctx.source,
    type: EVENT_TYPE[o.kind],
    subject: o.subject,
    time: ctx.now,
    datacontenttype: 'application/json',
    dataschema: NOTIFICATION_DATASCHEMA,
    data: o.data,
  };
}
