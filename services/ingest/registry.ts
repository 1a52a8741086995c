/**
 * Every input message kind samenloop reads. Adding one: a folder with its parser, zod schema and
 * descriptor (see ./kinds.ts), and one line here; the compiler then points at every place that must
 * know it (the topic it belongs on is part of the descriptor).
 */
import { aw33 } from './aw33';
import { io31 } from './io31';
import type { JsonKind, XmlKind } from './kinds';
import { netwerkmodel } from './netwerkmodel';
import { wmo301 } from './wmo301';

export { INPUT_KINDS, type InputKind, type MessageKind } from './kinds';

/** The iStandaarden XML kinds, recognised by their root namespace. */
export const XML_KINDS: readonly XmlKind[] = [io31, aw33, wmo301];

/** The JSON kinds, recognised by the content-type (or a leading `{`) on their input topic. */
export const JSON_KINDS: readonly JsonKind[] = [netwerkmodel];
