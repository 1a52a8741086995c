import type { XmlKind } from '../kinds';
import { Wmo301Bericht } from './schema';
import { parseWmo301 } from './parse';

/** iWmo 3.2 WMO301 Toewijzing (BerichtCode 414), a gemeente's copy: ../shared/istandaarden/iwmo/xsd/WMO301.xsd. */
export const wmo301: XmlKind<typeof Wmo301Bericht> = {
  name: 'WMO301',
  format: 'xml',
  input: 'wmo-toewijzingen',
  sender: 'gemeente',
  namespaces: {
    message: 'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema',
    basis: 'http://www.istandaarden.nl/iwmo/3_2/basisschema/schema',
  },
  header: { message: 'WMO301', berichtCode: '414', berichtVersie: '3', berichtSubversie: '2' },
  schema: Wmo301Bericht,
  parse: parseWmo301,
};
