/**
 * The sink's serialiser: a typed engine output to the bytes, key and headers of one Kafka record, as
 * Kafka Streams' Serdes do at the sink. Notifications become CloudEvents JSON on the gemeente's samenloop
 * topic, keyed by the decision reference; WMO301s become XML on its beeindigingen topic, keyed by the
 * aanbieder's AGB. Pure and deterministic for the same output and context.
 */
import type { Output } from '../engine/outputs';
import type { OutputChannel } from '../topics';
import { binaryHeaders, cloudEvent, type EnvelopeContext } from './cloudevents';
import { wmo301Xml } from './wmo301';

/** One output as it is sent (and kept in the outbox until Kafka has it). */
export type Rendered = RenderedBase &
  (
    | {
        /** CloudEvent JSON, or WMO301 XML. */
        value: string;
        contentType: 'application/cloudevents+json' | 'application/json' | 'application/xml';
      }
    | {
        /** A tombstone: the decision's records may be compacted away; no content, no `content-type` header. */
        value: null;
        contentType: null;
      }
  );

interface RenderedBase {
  /** The shell maps it to topic gemeente.<gemeente>.<channel>. */
  channel: OutputChannel;
  gemeente: string;
  /** Kafka key: the decision reference for samenloop (no BSN), the aanbieder's AGB for beeindigingen. */
  key: string;
  /** Deterministic id: the CloudEvent id, the tombstone's, or the WMO301's BerichtIdentificatie/Identificatie. */
  id: string;
  /** More record headers: the `ce_*` attributes of a CloudEvent in binary content mode. */
  headers?: Record<string, string>;
}

export type RenderContext = EnvelopeContext;

export function render(o: Output, ctx: RenderContext): Rendered {
  if (o.kind === 'wmo301') {
    return {
      channel: 'beeindigingen',
      gemeente: o.gemeente,
      key: o.aanbieder,
      value: wmo301Xml(o.bericht),
      contentType: 'application/xml',
      id: o.id,
    };
  }
  if (o.kind === 'tombstone') {
    // Kafka's tombstone: the key and a null value; no CloudEvent (the binding has none for it), no data, only
    // the samenloop-id header the sink gives every record
    return {
      channel: 'samenloop',
      gemeente: o.gemeente,
      key: o.subject,
      value: null,
      contentType: null,
      id: o.id,
    };
  }
  const event = cloudEvent(o, ctx);
  if (ctx.mode === 'binary') {
    const { 'content-type': _json, ...headers } = binaryHeaders(event);
    return {
      channel: 'samenloop',
      gemeente: o.gemeente,
      key: o.subject,
      value: JSON.stringify(event.data),
      contentType: 'application/json',
      id: o.id,
      headers,
    };
  }
  return {
    channel: 'samenloop',
    gemeente: o.gemeente,
    key: o.subject,
    value: JSON.stringify(event),
    contentType: 'application/cloudevents+json',
    id: o.id,
  };
}
