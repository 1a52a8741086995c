/**
 * A gemeente's command on `gemeente.<code>.opdrachten` (JSON, UTF-8):
 * `{"type":"beeindiging.bevestigen"|"beeindiging.afwijzen","beeindigingId":"bd-…","door":"…","toelichting":"…"}`
 * (`toelichting` optional).
 * parseCommand never throws and its reasons never echo the input's values (a gemeente might paste a BSN).
 */
import { z } from 'zod';
import { pathOf, zodRule } from '../checks';
import { checkJsonLimits, duplicateKeyPath } from '../json';
import {
  BEEINDIGING_ID_PATTERN,
  COMMAND_TYPES,
  DOOR_MAX,
  TOELICHTING_MAX,
  type GemeenteCommand,
} from '../../domain/commands';

/** Text without control characters (a line break is allowed in a toelichting). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_BUT_NEWLINE = /^[^\u0000-\u0009\u000b-\u001f\u007f]*$/;

const NOT_AN_ID = 'not a beëindiging id (bd- and 24 hex digits)';

export const commandSchema = z.strictObject({
  type: z.enum(COMMAND_TYPES),
  beeindigingId: z.string().regex(BEEINDIGING_ID_PATTERN, NOT_AN_ID),
  door: z
    .string()
    .trim()
    .min(1, 'who decided is required (a name or an id)')
    .max(DOOR_MAX, `at most ${DOOR_MAX} characters`)
    .regex(NO_CONTROL, 'no control characters'),
  toelichting: z
    .string()
    .trim()
    .max(TOELICHTING_MAX, `at most ${TOELICHTING_MAX} characters`)
    .regex(NO_CONTROL_BUT_NEWLINE, 'no control characters')
    .optional(),
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
  if (r.success) {
    const { toelichting, ...rest } = r.data;
    return { ok: true, cmd: toelichting ? { ...rest, toelichting } : rest };
  }
  const problems = r.error.issues.map((i) => {
    const where = i.path.length > 0 ? pathOf(i.path, '.') : 'command';
    if (i.code === 'unrecognized_keys') return `${where}: ${i.keys.length} unknown field(s)`;
    if (i.code === 'invalid_format') return `${where}: ${NOT_AN_ID}`;
    return `${where}: ${zodRule(i)}`;
  });
  return { ok: false, reason: `invalid command: ${problems.join('; ')}` };
}
