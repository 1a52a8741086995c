/**
 * AW33 Zorgtoewijzing (iWlz 2.2, BerichtCode 352; zorgkantoor → aanbieder): one WlzZorgtoewijzingFact per
 * ToegewezenZorgzwaartepakket and per ToegewezenFunctie of every Client.
 * key `zorgtoewijzing:<Besluitnummer>:<ZzpCode|FunctieCode>:<Instelling>:<Ingangsdatum>`,
 * version `<Toewijzingsdatum>T<Toewijzingstijd>` (reference/iwlz.md §3, §7).
 *
 * Einddatum + RedenIntrekking end a toewijzing; Einddatum = Ingangsdatum with a RedenIntrekking is a toewijzing
 * withdrawn before it took effect. Both are kept as facts: the engine interprets them.
 *
 * Two gaps in the XSD, filled here:
 *   - ToegewezenZorgzwaartepakket/Instelling is optional; without it the header Ontvanger (the aanbieder the AW33
 *     is addressed to) is used, so the key matches a later AW33 that names the Instelling.
 *   - ToegewezenFunctie has no Leveringsvorm, but the fact requires one: it is the empty string for functies.
 */
import { type Aw33ClientXml, Aw33Bericht } from './schema';
import {
  FUNCTIE_CODE,
  LEVERINGSVORM,
  REDEN_INTREKKING,
  SOORT_TOEWIJZING,
  ZORGKANTOOR,
  ZZP_CODE,
} from '../../domain/codelists';
import type { FactSource, WlzZorgtoewijzingFact } from '../../domain/facts';
import {
  canonicalInteger,
  checkAgb,
  checkCode,
  checkDate,
  checkOptionalCode,
  checkOptionalDate,
  checkPeriod,
  checkTime,
  clientLabel,
} from '../checks';
import { checkHeader, clientGegevens, withoutUndefined } from '../istandaard/header';
import { checkStructure, toPlain } from '../structure';
import { checkSimpleTypes } from '../istandaard/xsd-type-check';
import { XSD_MESSAGE_TREES, XSD_SIMPLE_TYPES } from '../istandaard/xsd-types';
import type { ParsedMessage } from '../types';
import type { XmlKindInfo } from '../kinds';
import type { XmlElement } from '../xml';

/** Leveringsvorm of a fact from a ToegewezenFunctie, which carries none. */
export const FUNCTIE_LEVERINGSVORM = '';

/** Parses a recognised AW33 root element. Throws a Rejection. */
export function parseAw33(root: XmlElement, kind: XmlKindInfo<typeof Aw33Bericht>): ParsedMessage {
  const plain = toPlain(root, kind.namespaces);
  const xml = checkStructure(kind.schema, plain, root.name);
  const { identificatie, dagtekening } = checkHeader(xml.Header, kind.header);
  const afzender = checkCode(ZORGKANTOOR, 'Afzender (zorgkantoor)', xml.Header.Afzender, 'the header');
  const ontvanger = checkAgb(xml.Header.Ontvanger, 'Ontvanger', 'the header');
  const messageId = `AW33:${afzender}:${identificatie}:${dagtekening}`;
  const source: FactSource = { kind: kind.name, messageId };
  const facts = xml.Clienten.Client.flatMap((client, i) =>
    toewijzingFacts(client, clientLabel(i), source, ontvanger),
  );
  checkSimpleTypes(plain, XSD_MESSAGE_TREES.AW33, XSD_SIMPLE_TYPES, root.name);
  return { kind: 'AW33', messageId, facts };
}

interface ToewijzingXml {
  Instelling?: string;
  Zorgkantoor: string;
  Soort: string;
  Toewijzingsdatum: string;
  Toewijzingstijd: string;
  Ingangsdatum: string;
  Einddatum?: string;
  RedenIntrekking?: string;
}

function toewijzingFacts(
  xml: Aw33ClientXml,
  ctx: string,
  source: FactSource,
  ontvanger: string,
): WlzZorgtoewijzingFact[] {
  const client = clientGegevens(xml, ctx);
  const besluitnummer = canonicalInteger(xml.Indicatie.Besluitnummer, 1, 999_999_999, 'Besluitnummer', ctx);

  const fact = (
    soort: 'zzp' | 'functie',
    code: string,
    leveringsvorm: string,
    t: ToewijzingXml,
    element: string,
  ): WlzZorgtoewijzingFact => {
    const tCtx = `${element} ${code} of ${ctx}`;
    const instelling = checkAgb(t.Instelling ?? ontvanger, 'Instelling', tCtx);
    const toewijzingsdatum = checkDate(t.Toewijzingsdatum, 'Toewijzingsdatum', tCtx);
    const toewijzingstijd = checkTime(t.Toewijzingstijd, 'Toewijzingstijd', tCtx);
    const ingangsdatum = checkDate(t.Ingangsdatum, 'Ingangsdatum', tCtx);
    const einddatum = checkOptionalDate(t.Einddatum, 'Einddatum', tCtx);
    checkPeriod(ingangsdatum, einddatum, tCtx);
    return withoutUndefined({
      type: 'wlz-zorgtoewijzing',
      key: `zorgtoewijzing:${besluitnummer}:${code}:${instelling}:${ingangsdatum}`,
      version: `${toewijzingsdatum}T${toewijzingstijd}`,
      source,
      client,
      besluitnummer,
      soort,
      code,
      instelling,
      zorgkantoor: checkCode(ZORGKANTOOR, 'Zorgkantoor', t.Zorgkantoor, tCtx),
      soortToewijzing: checkCode(SOORT_TOEWIJZING, 'Soort (toewijzing)', t.Soort, tCtx),
      toewijzingsdatum,
      toewijzingstijd,
      ingangsdatum,
      einddatum,
      redenIntrekking: checkOptionalCode(REDEN_INTREKKING, 'RedenIntrekking', t.RedenIntrekking, tCtx),
      leveringsvorm,
    });
  };

  const zzps = (xml.Indicatie.ToegewezenZorgzwaartepakketten?.ToegewezenZorgzwaartepakket ?? []).map((t) => {
    const element = 'ToegewezenZorgzwaartepakket';
    const code = checkCode(ZZP_CODE, 'ZzpCode', t.ZzpCode, `${element} of ${ctx}`);
    const leveringsvorm = checkCode(
      LEVERINGSVORM,
      'Leveringsvorm',
      t.Leveringsvorm,
      `${element} ${code} of ${ctx}`,
    );
    return fact('zzp', code, leveringsvorm, t, element);
  });
  const functies = (xml.Indicatie.ToegewezenFuncties?.ToegewezenFunctie ?? []).map((t) => {
    const element = 'ToegewezenFunctie';
    const code = checkCode(FUNCTIE_CODE, 'FunctieCode', t.FunctieCode, `${element} of ${ctx}`);
    return fact('functie', code, FUNCTIE_LEVERINGSVORM, t, element);
  });
  return [...zzps, ...functies];
}
