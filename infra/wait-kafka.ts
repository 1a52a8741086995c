/**
 * Waits until a Kafka broker accepts a kafkajs admin client and lists its topics.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_START_TIMEOUT=90 [KAFKA_PID=1234] npx tsx infra/wait-kafka.ts
 *
 * Exits 0 when ready (printing how long it took), 1 on time-out, 2 when the broker process KAFKA_PID
 * (if given) died meanwhile. infra/up.sh prints the broker log's tail on failure.
 * `kafkaAnswers` is also used by test/support to see whether a broker is already there.
 */
import { Kafka, logLevel } from 'kafkajs';

export function parseBrokers(list: string | undefined): string[] {
  return (list ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

/** One attempt: connects an admin client and lists topics. Resolves with the error, or undefined when ready. */
export async function probeKafka(brokers: string[], timeoutMs = 3000): Promise<Error | undefined> {
  const admin = new Kafka({
    clientId: 'samenloop-wait',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const attempt = (async () => {
      await admin.connect();
      await admin.listTopics();
    })();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([attempt, deadline]);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    if (timer) clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** True when a broker at `brokers` answers an admin listTopics now. */
export async function kafkaAnswers(brokers: string[], timeoutMs = 3000): Promise<boolean> {
  return (await probeKafka(brokers, timeoutMs)) === undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(): Promise<number> {
  const brokers = parseBrokers(process.env.KAFKA_BROKERS);
  const timeoutSec = Number(process.env.KAFKA_START_TIMEOUT ?? '90');
  const timeoutMs = (Number.isFinite(timeoutSec) && timeoutSec > 0 ? timeoutSec : 90) * 1000;
  const pid = process.env.KAFKA_PID ? Number(process.env.KAFKA_PID) : undefined;
  const started = Date.now();
  let lastError: Error | undefined;
  while (Date.now() - started < timeoutMs) {
    lastError = await probeKafka(brokers, Math.min(5000, Math.max(1000, timeoutMs - (Date.now() - started))));
    if (!lastError) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`[wait-kafka] Kafka at ${brokers.join(',')} lists topics (waited ${secs}s)`);
      return 0;
    }
    if (pid !== undefined && !processAlive(pid)) {
      console.error(`[wait-kafka] the Kafka broker process ${pid} exited before it became ready`);
      console.error(`[wait-kafka] last client error: ${lastError.message}`);
      return 2;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(
    `[wait-kafka] Kafka at ${brokers.join(',')} not ready after ${timeoutMs / 1000}s ` +
      `(KAFKA_START_TIMEOUT); last client error: ${lastError?.message ?? 'none'}`,
  );
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error('[wait-kafka] failed:', err);
      process.exit(1);
    },
  );
}
