import type { XmlKind } from '../kinds';
import { Aw33Bericht } from './schema';
import { parseAw33 } from './parse';

/** iWlz 2.2 AW33 Zorgtoewijzing (BerichtCode 352), from a zorgkantoor: ../shared/istandaarden/iwlz/xsd/AW33.xsd. */
export const aw33: XmlKind<typeof Aw33Bericht> = {
  name: 'AW33',
  format: 'xml',
  input: 'zorgtoewijzingen',
  sender: 'zorgkantoor',
  namespaces: {
    message: 'http://www.istandaarden.nl/iwlz/2_2/aw33/schema',
    basis: 'http://www.istandaarden.nl/iwlz/2_2/basisschema/schema',
  },
  header: { message: 'AW33', berichtCode: '352', berichtVersie: '5', berichtSubversie: '2' },
  schema: Aw33Bericht,
  parse: parseAw33,
};
