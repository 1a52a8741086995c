/**
 * jest globalSetup of the integration project: uses the Kafka (KAFKA_BROKERS, default 127.0.0.1:9092) and
 * Redis (REDIS_URL, default redis://127.0.0.1:6379) that already answer; otherwise runs infra/up.sh (which
 * also installs xmllint when missing) and lets global-teardown.ts run infra/down.sh afterwards.
 */
import {
  commandExists,
  kafkaAnswers,
  kafkaBrokers,
  redisAddress,
  redisAnswers,
  redisUrl,
  runInfraScript,
  setInfraStartedByTests,
} from './infra';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

function localPort(what: string, host: string, port: number): string {
  if (!LOCAL_HOSTS.has(host) || !Number.isInteger(port) || port <= 0) {
    throw new Error(
      `${what} at ${host}:${port} does not answer, and only a local one (127.0.0.1) can be started`,
    );
  }
  return String(port);
}

export default async function globalSetup(): Promise<void> {
  const brokers = kafkaBrokers();
  const url = redisUrl();
  const [kafkaUp, redisUp] = await Promise.all([kafkaAnswers(brokers), redisAnswers(url)]);
  const xmllint = commandExists('xmllint');
  process.env.KAFKA_BROKERS ??= brokers.join(',');
  process.env.REDIS_URL ??= url;
  if (kafkaUp && redisUp && xmllint) {
    console.log(`\n[integration] using Kafka ${brokers.join(',')} and Redis ${url}`);
    return;
  }

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!kafkaUp) {
    const first = brokers[0] ?? '127.0.0.1:9092';
    const colon = first.lastIndexOf(':');
    env.KAFKA_PORT = localPort('Kafka', first.slice(0, colon), Number(first.slice(colon + 1)));
  }
  if (!redisUp) {
    const { host, port } = redisAddress(url);
    env.REDIS_PORT = localPort('Redis', host, port);
  }
  const starting = !kafkaUp || !redisUp;
  console.log(
    `\n[integration] ${starting ? 'Kafka/Redis not answering' : 'xmllint missing'}: running infra/up.sh`,
  );
  setInfraStartedByTests(starting);
  try {
    runInfraScript('up.sh', env);
  } catch (err) {
    if (starting) runInfraScript('down.sh', env);
    setInfraStartedByTests(false);
    throw err;
  }
}
