/**
 * A gemeente's command on `gemeente.<code>.opdrachten` (JSON, UTF-8):
 * `{"type":"beeindiging.bevestigen"|"beeindiging.afwijzen","beeindigingId":"bd-…"}`.
 * parseCommand never throws and its reasons never echo the input's values (a gemeente might paste a BSN).
 */
import { z } from 'zod';
import { pathOf, zodRule } from '../checks';
import { checkJsonLimits, duplicateKeyPath } from '../json';
import { BEEINDIGING_ID_PATTERN, COMMAND_TYPES, type GemeenteCommand } from '../../domain/commands';

const NOT_AN_ID = 'not a beëindiging id (bd- and 24 hex digits)';

export const commandSchema = z.strictObject({
  type: z.enum(COMMAND_TYPES),
  beeindigingId: z.string().regex(BEEINDIGING_ID_PATTERN, NOT_AN_ID),
});

export type ParsedCommand = { ok: true; cmd: GemeenteCommand } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseCommand(bytes: Uint8Array | string): ParsedCommand {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'command is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, reason: 'command is empty' };
  const overLimit = checkJsonLimits(text);
  if (overLimit !== undefined) return { ok: false, reason: `command is not accepted: ${overLimit}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'command is not valid JSON' };
  }
  if (duplicateKeyPath(text) !== undefined) {
    return { ok: false, reason: 'command is not valid JSON: an object has the same key twice' };
  }
  const r = commandSchema.safeParse(json);
  if (r.success) return { ok: true, cmd: r.data };
  const problems = r.error.issues.map((i) => {
    const where = i.path.length > 0 ? pathOf(i.path, '.') : 'command';
    if (i.code === 'unrecognized_keys') return `${where}: ${i.keys.length} unknown field(s)`;
    if (i.code === 'invalid_format') return `${where}: ${NOT_AN_ID}`;
    return `${where}: ${zodRule(i)}`;
  });
  return { ok: false, reason: `invalid command: ${problems.join('; ')}` };
}
