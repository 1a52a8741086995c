import { logLevel, type Admin, type Kafka, type Producer } from 'kafkajs';
import { createKafka } from '../kafka/client';
import type { Config } from '../config';
import { unreachable } from './errors';

/**
 * Kafka for a command: few, short retries, so an unreachable broker ends the command (exit 3) in seconds
 * instead of the processor's patient start. kafkajs logs nothing; failures become CliErrors.
 */
export function cliKafka(cfg: Config): Kafka {
  return createKafka(cfg, {
    clientId: `${cfg.KAFKA_CLIENT_ID}-cli`,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
  });
}

/** A Kafka error is the infrastructure's (exit 3); anything else is passed on as it is. */
export function isKafkaError(err: unknown): boolean {
  return err instanceof Error && err.name.startsWith('KafkaJS');
}

/** Runs `fn` with a connected admin client; Kafka failures become exit 3. */
export async function withAdmin<T>(cfg: Config, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = cliKafka(cfg).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (err) {
    throw isKafkaError(err) ? unreachable('Kafka', cfg.KAFKA_BROKERS.join(','), err) : err;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Runs `fn` with a transactional producer (its own transactional id per run): what it sends in one
 * transaction is seen by read_committed readers all or nothing.
 */
export async function withProducer<T>(
  cfg: Config,
  transactionalId: string,
  fn: (producer: Producer) => Promise<T>,
): Promise<T> {
  const producer = cliKafka(cfg).producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  try {
    await producer.connect();
    return await fn(producer);
  } catch (err) {
    throw isKafkaError(err) ? unreachable('Kafka', cfg.KAFKA_BROKERS.join(','), err) : err;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
