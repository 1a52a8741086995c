import type { Config } from '../config';
import { inputTopics } from '../topics';

/** The topics that are not a gemeente's: the inputs, the dead letters, the audit trail and the daily ticks. */
export function cliTopics(cfg: Config): string[] {
  return [
    ...inputTopics(cfg),
    cfg.TOPIC_DLQ,
    cfg.TOPIC_VERWERKINGEN,
    cfg.TOPIC_DAGELIJKS,
    cfg.TOPIC_CHANGELOG,
  ];
}
