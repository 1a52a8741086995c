import type { IsoDate } from '../services/domain/facts';
import { TestDriver } from '../services/pipeline/driver';
import { topicOf } from '../test/support/topics';
import { DEMO_POLICIES, demoScenario } from './scenario';
import type { ReceivedOutput } from './summary';

/**
 * The demo's scenario through the same pipeline without a broker (TestDriver, in-memory register): what
 * the gemeenten must receive on the processing day `today`. The demo compares the real run with it.
 */
export async function demoOffline(today: IsoDate): Promise<ReceivedOutput[]> {
  const driver = new TestDriver({ SAMENLOOP_TODAY: today, GEMEENTE_POLICIES: DEMO_POLICIES });
  driver.now = `${today}T10:00:00+01:00`;
  for (const step of demoScenario(today))
    await driver.pipe(topicOf(driver.cfg, step.input, step.xml), step.xml);
  // a tombstone (days after a retraction) is no message the demo shows
  return driver.outputs.flatMap((o) =>
    o.value === null ? [] : [{ gemeente: o.gemeente, channel: o.channel, value: o.value }],
  );
}
