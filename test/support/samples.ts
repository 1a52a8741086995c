/** Small sample values that several tests build the same way. */
import type { Rendered } from '../../services/messages/render';

/** A rendered output to gemeente 0363 whose key, id and JSON body are all `id`. */
export const output = (id: string): Rendered => ({
  channel: 'samenloop',
  gemeente: '0363',
  key: id,
  value: `{"id":"${id}"}`,
  contentType: 'application/cloudevents+json',
  id,
});
