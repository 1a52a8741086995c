import type { JsonKind } from '../kinds';
import { parseNetwerkmodelJson } from './parse';

/** A netwerkmodel indicatie event (JSON): how the CIZ's corrections and withdrawals of an indicatie arrive. */
export const netwerkmodel: JsonKind = {
  name: 'NETWERKMODEL',
  format: 'json',
  input: 'indicatiebesluiten',
  sender: 'CIZ',
  parse: parseNetwerkmodelJson,
};
