import type { IsoDate } from '../services/domain/facts';
import { TestDriver } from '../services/pipeline/driver';
import type { Config } from '../services/config';
import { DEMO_POLICIES, demoScenario, type DemoInput } from './scenario';
import type { ReceivedOutput } from './summary';

export function demoTopic(cfg: Config, input: DemoInput): string {
  if (input === 'indicatiebesluiten') return cfg.TOPIC_INDICATIEBESLUITEN;
  if (input === 'zorgtoewijzingen') return cfg.TOPIC_ZORGTOEWIJZINGEN;
  return cfg.TOPIC_WMO_TOEWIJZINGEN;
}

/**
 * The demo's scenario through the same pipeline without a broker (TestDriver, in-memory register): what
 * the gemeenten must receive on the processing day `today`. The demo compares the real run with it.
 */
export async function demoOffline(today: IsoDate): Promise<ReceivedOutput[]> {
  const driver = new TestDriver({ SAMENLOOP_TODAY: today, GEMEENTE_POLICIES: DEMO_POLICIES });
  driver.now = `${today}T10:00:00+01:00`;
  for (const step of demoScenario(today)) await driver.pipe(demoTopic(driver.cfg, step.input), step.xml);
  return driver.outputs.map((o) => ({ gemeente: o.gemeente, channel: o.channel, value: o.value }));
}
