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

/**
 * The CloudEvents Kafka protocol binding's content modes: `structured` (the whole event as JSON in the
 * value, content-type application/cloudevents+json) or `binary` (`data` as the value, content-type
 * application/json, every other attribute in a `ce_<name>` header).
 */
export type ContentMode = 'structured' | 'binary';

/** What the envelope takes from the moment of processing. */
export interface EnvelopeContext {
  /**
   * CloudEvents `source`: 'urn:samenloop:processor', or in the NL GOV CloudEvents profile's form
   * `urn:nld:oin:<OIN>:systeem:<naam>` (services/config/operations.ts).
   */
  source: string;
  /** Europe/Amsterdam local time with its offset: the CloudEvents `time`. */
  now: string;
  /** Default `structured`. */
  mode?: ContentMode;
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

/** The `ce_*` headers of an event in binary content mode: every attribute but `data` and `datacontenttype`. */
export function binaryHeaders(e: CloudEvent<unknown>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': e.datacontenttype };
  for (const [name, value] of Object.entries(e)) {
    if (name === 'data' || name === 'datacontenttype') continue;
    headers[`ce_${name}`] = String(value);
  }
  return headers;
}

/** The attributes an event read from Kafka has, in either content mode. */
export interface ReceivedCloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  data: unknown;
}

/**
 * An event as read from a Kafka record, in either content mode: binary when the record has a
 * `ce_specversion` header, else structured JSON. Undefined when it is neither.
 */
export function readCloudEvent(
  value: Buffer | string | null,
  headers: Record<string, string | Buffer | undefined>,
): ReceivedCloudEvent | undefined {
  const text = (v: string | Buffer | undefined) => (v === undefined ? undefined : v.toString());
  try {
    const body: unknown = value === null ? null : JSON.parse(value.toString());
    if (headers.ce_specversion !== undefined) {
      const attrs: Record<string, string> = {};
      for (const [name, v] of Object.entries(headers))
        if (name.startsWith('ce_') && v !== undefined) attrs[name.slice(3)] = text(v)!;
      if (!attrs.id || !attrs.source || !attrs.type) return undefined;
      const contentType = text(headers['content-type']);
      return {
        ...(attrs as unknown as ReceivedCloudEvent),
        ...(contentType === undefined ? {} : { datacontenttype: contentType }),
        data: body,
      };
    }
    const e = body as Partial<ReceivedCloudEvent> | null;
    if (!e || typeof e !== 'object' || typeof e.id !== 'string' || typeof e.type !== 'string')
      return undefined;
    return e as ReceivedCloudEvent;
  } catch {
    return undefined;
  }
}
