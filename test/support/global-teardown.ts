/** jest globalTeardown of the integration project: stops the infrastructure only if global-setup.ts started it. */
import { infraStartedByTests, runInfraScript, setInfraStartedByTests } from './infra';

export default async function globalTeardown(): Promise<void> {
  if (!infraStartedByTests()) return;
  runInfraScript('down.sh');
  setInfraStartedByTests(false);
}
