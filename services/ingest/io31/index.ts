import type { XmlKind } from '../kinds';
import { Io31Bericht } from './schema';
import { parseIo31 } from './parse';

/** iWlz 2.2 IO31 Indicatiebesluit (BerichtCode 388), from the CIZ: ../shared/istandaarden/iwlz/xsd/IO31.xsd. */
export const io31: XmlKind<typeof Io31Bericht> = {
  name: 'IO31',
  format: 'xml',
  input: 'indicatiebesluiten',
  sender: 'CIZ',
  namespaces: {
    message: 'http://www.istandaarden.nl/iwlz/2_2/io31/schema',
    basis: 'http://www.istandaarden.nl/iwlz/2_2/basisschema/schema',
  },
  header: { message: 'IO31', berichtCode: '388', berichtVersie: '5', berichtSubversie: '2' },
  schema: Io31Bericht,
  parse: parseIo31,
};
