/**
 * IO31 Indicatiebesluit (iWlz 2.2, BerichtCode 388; CIZ → zorgkantoor): one WlzIndicatieFact per Client.
 * key `indicatie:<Besluitnummer>`, version = Dagtekening (`YYYY-MM-DD`), status `actueel`
 * (IO31 2.2 has no intrekking/correctie element: reference/iwlz.md §2.1).
 */
import { Io31Bericht, type Io31ClientXml } from './schema';
import { FUNCTIE_CODE, GRONDSLAG, VOORKEUR_CLIENT, ZORGKANTOOR, ZZP_CODE } from '../../domain/codelists';
import type {
  FactSource,
  GeindiceerdZorgzwaartepakket,
  GeindiceerdeFunctie,
  IsoDate,
  WlzIndicatieFact,
} from '../../domain/facts';
import {
  canonicalInteger,
  checkCode,
  checkDate,
  checkOptionalCode,
  checkOptionalDate,
  checkPeriod,
  clientLabel,
} from '../checks';
import { checkHeader, clientGegevens, withoutUndefined } from '../istandaard/header';
import { checkStructure, toPlain } from '../structure';
import { checkSimpleTypes } from '../istandaard/xsd-type-check';
import { XSD_MESSAGE_TREES, XSD_SIMPLE_TYPES } from '../istandaard/xsd-types';
import type { ParsedMessage } from '../types';
import type { XmlKindInfo } from '../kinds';
import type { XmlElement } from '../xml';

/** IO31 has no Afzender: the sender in the messageId is the CIZ. */
export const IO31_SENDER = 'CIZ';

/** Parses a recognised IO31 root element. Throws a Rejection. */
export function parseIo31(root: XmlElement, kind: XmlKindInfo<typeof Io31Bericht>): ParsedMessage {
  const plain = toPlain(root, kind.namespaces);
  const xml = checkStructure(kind.schema, plain, root.name);
  const { identificatie, dagtekening } = checkHeader(xml.Header, kind.header);
  checkCode(ZORGKANTOOR, 'Ontvanger (zorgkantoor)', xml.Header.Ontvanger, 'the header');
  const messageId = `IO31:${IO31_SENDER}:${identificatie}:${dagtekening}`;
  const source: FactSource = { kind: kind.name, messageId };
  const facts = xml.Clienten.Client.map((client, i) =>
    indicatieFact(client, clientLabel(i), source, dagtekening),
  );
  checkSimpleTypes(plain, XSD_MESSAGE_TREES.IO31, XSD_SIMPLE_TYPES, root.name);
  return { kind: 'IO31', messageId, facts };
}

function indicatieFact(
  xml: Io31ClientXml,
  ctx: string,
  source: FactSource,
  dagtekening: IsoDate,
): WlzIndicatieFact {
  const client = clientGegevens(xml, ctx);
  const ind = xml.Indicatie;
  const besluitnummer = canonicalInteger(ind.Besluitnummer, 1, 999_999_999, 'Besluitnummer', ctx);
  // Not the Besluitnummer: any 9-digit number is one, a BSN too.
  const indCtx = `Indicatie of ${ctx}`;
  const afgiftedatum = checkDate(ind.Afgiftedatum, 'Afgiftedatum', indCtx);
  const ingangsdatum = checkDate(ind.Ingangsdatum, 'Ingangsdatum', indCtx);
  const einddatum = checkOptionalDate(ind.Einddatum, 'Einddatum', indCtx);
  checkPeriod(ingangsdatum, einddatum, indCtx);
  const grondslagen = ind.Grondslagen
    ? [ind.Grondslagen.Grondslag01, ind.Grondslagen.Grondslag02]
        .filter((g): g is string => g !== undefined)
        .map((g) => checkCode(GRONDSLAG, 'Grondslag', g, indCtx))
    : [];
  const zorgzwaartepakketten = (ind.GeindiceerdeZorgzwaartepakketten?.GeindiceerdZorgzwaartepakket ?? []).map(
    (zzp): GeindiceerdZorgzwaartepakket => {
      const zzpCode = checkCode(ZZP_CODE, 'ZzpCode', zzp.ZzpCode, `GeindiceerdZorgzwaartepakket of ${ctx}`);
      // Named by its code only once the codelist has it.
      const zzpCtx = `GeindiceerdZorgzwaartepakket ${zzpCode} of ${ctx}`;
      const start = checkDate(zzp.Ingangsdatum, 'Ingangsdatum', zzpCtx);
      const end = checkOptionalDate(zzp.Einddatum, 'Einddatum', zzpCtx);
      checkPeriod(start, end, zzpCtx);
      return withoutUndefined({
        zzpCode,
        ingangsdatum: start,
        einddatum: end,
        voorkeurClient: checkOptionalCode(VOORKEUR_CLIENT, 'VoorkeurClient', zzp.VoorkeurClient, zzpCtx),
      });
    },
  );
  const functies = (ind.GeindiceerdeFuncties?.GeindiceerdeFunctie ?? []).map((f): GeindiceerdeFunctie => {
    const functieCode = checkCode(
      FUNCTIE_CODE,
      'FunctieCode',
      f.FunctieCode,
      `GeindiceerdeFunctie of ${ctx}`,
    );
    const fCtx = `GeindiceerdeFunctie ${functieCode} of ${ctx}`;
    const start = checkDate(f.Ingangsdatum, 'Ingangsdatum', fCtx);
    const end = checkOptionalDate(f.Einddatum, 'Einddatum', fCtx);
    checkPeriod(start, end, fCtx);
    return withoutUndefined({ functieCode, ingangsdatum: start, einddatum: end });
  });
  return withoutUndefined({
    type: 'wlz-indicatie',
    key: `indicatie:${besluitnummer}`,
    version: dagtekening,
    source,
    client,
    besluitnummer,
    afgiftedatum,
    ingangsdatum,
    einddatum,
    zorgzwaartepakketten,
    functies,
    grondslagen,
    status: 'actueel',
  });
}
