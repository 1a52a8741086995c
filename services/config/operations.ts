import { z } from 'zod';

/**
 * The operational settings (issue 14, points 4–7): topic ownership, the bounded stop, the CloudEvents
 * envelope (NL GOV profile `source`, content mode) and tracing. A shape of its own, merged into the
 * configuration schema of ./index.ts, so that these variables are validated (and named in errors) like
 * every other.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const operationsShape = {
  /**
   * `false`: the processor creates no topic (clusters where topics are made by their owners, GitOps). A
   * missing input topic is then a start error naming it (exit 3); a missing gemeente output topic holds
   * the partition that needs it (retried, logged at error with the topic's name) until it is made.
   */
  TOPIC_CREATE: bool.default(true),
  /** How long SIGTERM/SIGINT may take to finish the batch in hand and disconnect; then exit code 4. */
  STOP_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30000),
  /**
   * The organisation's OIN (20 digits): with it the CloudEvents `source` is the NL GOV CloudEvents profile's
   * `urn:nld:oin:<OIN>:systeem:<CLOUDEVENTS_SYSTEEM>`.
   */
  CLOUDEVENTS_OIN: z
    .string()
    .regex(/^\d{20}$/, 'an OIN: 20 digits')
    .optional(),
  CLOUDEVENTS_SYSTEEM: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and "-"')
    .default('samenloop'),
  /** `structured` (the whole event as JSON) or `binary` (`data` as the value, the attributes as `ce_*` headers). */
  CLOUDEVENTS_MODE: z.enum(['structured', 'binary']).default('structured'),
  /** OTLP/HTTP endpoint of a trace collector (the OpenTelemetry variable); unset: no spans are exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ message: 'an http(s) URL' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('samenloop'),
};

export type OperationsConfig = z.output<z.ZodObject<typeof operationsShape>>;

/**
 * The CloudEvents `source`: the NL GOV form `urn:nld:oin:<OIN>:systeem:<naam>` when an OIN is configured,
 * else CLOUDEVENTS_SOURCE.
 */
export function cloudEventsSource(cfg: {
  CLOUDEVENTS_SOURCE: string;
  CLOUDEVENTS_OIN?: string | undefined;
  CLOUDEVENTS_SYSTEEM: string;
}): string {
  return cfg.CLOUDEVENTS_OIN === undefined
    ? cfg.CLOUDEVENTS_SOURCE
    : `urn:nld:oin:${cfg.CLOUDEVENTS_OIN}:systeem:${cfg.CLOUDEVENTS_SYSTEEM}`;
}

/** min.insync.replicas of the topics the service creates: the replication factor − 1, at least 1. */
export function minInsyncReplicas(replicationFactor: number): number {
  return Math.max(1, replicationFactor - 1);
}
