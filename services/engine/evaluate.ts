/**
 * evaluate: recompute the client's decisions from its facts and emit only the difference with what each
 * gemeente was told before — a new or changed signal, a retraction — plus the beëindigingen (and their
 * corrections) that the gemeente's policy calls for. The same facts and state always give the same outputs.
 */
import type { Fact } from '../domain/facts';
import {
  EVENT_TYPE,
  eventId,
  type BeeindigingData,
  type NotificationOutput,
  type SignaalData,
  type VervallenData,
} from './outputs';
import { beeindigingId, canonicalJson, sha256Hex } from './ids';
import { decide, redenZonderBesluit, wmoData, type Decision } from './decide';
import {
  moetCorrigeren,
  toewijzingFact,
  verstuurBeeindiging,
  verstuurCorrectie,
  verstuurWijzigingen,
} from './beeindigingen';
import { overlijden, wlzZorgGaatDoor } from './wlz';
import { cloneState, HISTORY_LIMIT, type BeeindigingRecord, type EngineState } from './state';
import type { EngineContext, Output, Run } from './types';
import { isWmo, referentie } from './wmo';
import { heropend, markeerAfgesloten, ruimOp } from './opruimen';

export function evaluate(
  bsn: string,
  facts: Fact[],
  prev: EngineState | undefined,
  ctx: EngineContext,
): { state: EngineState; outputs: Output[] } {
  const run: Run = { bsn, facts, state: cloneState(prev), ctx, outputs: [], wmo301: new Map() };
  reconcile(run);
  return finish(run);
}

export function finish(run: Run): { state: EngineState; outputs: Output[] } {
  verstuurWijzigingen(run);
  const h = run.state.history;
  if (h.length > HISTORY_LIMIT) h.splice(0, h.length - HISTORY_LIMIT);
  return { state: run.state, outputs: run.outputs };
}

const byId = (a: BeeindigingRecord, b: BeeindigingRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Moment of the last WMO301 of a record ('' when none), to find the latest correction. */
const laatste = (r: BeeindigingRecord) => {
  const b = r.berichten[r.berichten.length - 1];
  return b ? `${b.product.toewijzingsdatum}T${b.product.toewijzingstijd}|${r.id}` : '';
};

/** Brings the state in line with the facts: beëindigingen first, then the signals. */
export function reconcile(run: Run): void {
  const decisions = new Map(
    decide(run.facts, run.ctx.today, run.ctx.productcodeRegels).map((d) => [d.referentie, d]),
  );
  const refs = new Set<string>([...decisions.keys(), ...Object.keys(run.state.decisions)]);
  for (const r of Object.values(run.state.beeindigingen)) {
    if (r.status === 'voorgesteld' || r.status === 'verzonden') refs.add(r.referentie);
  }
  for (const ref of [...refs].sort()) {
    const d = decisions.get(ref);
    const getoond = syncBeeindigingen(run, ref, d);
    if (d) emitSignaal(run, d, getoond.signaal);
    else if (run.state.decisions[ref]) emitVervallen(run, ref, getoond.vervallen);
  }
  ruimOp(run);
}

interface Getoond {
  /** What a signal shows: the sent beëindiging, else the wanted one, else the latest correction. */
  signaal?: BeeindigingRecord;
  /** What a retraction shows: the beëindiging sent (maybe corrected just now), else the proposal cancelled now. */
  vervallen?: BeeindigingRecord;
}

/**
 * The beëindigingen of one decision reference: keep a sent one while the Wlz stays voorliggend, correct it
 * when not (and its Einddatum has not passed), propose or send a new one by policy, cancel stale proposals.
 */
function syncBeeindigingen(run: Run, ref: string, d: Decision | undefined): Getoond {
  const { state, ctx } = run;
  const records = Object.values(state.beeindigingen)
    .filter((r) => r.referentie === ref)
    .sort(byId);
  const voorliggend = d?.beoordeling === 'wlz-voorliggend';
  const verzonden = records.find((r) => r.status === 'verzonden');
  // a death is never a reason to give care back (rules SL-OVERLEDEN), nor a Wlz care that only changed form
  // (UITZ-VORMWIJZIGING): only a Wlz basis that is really gone undoes a beëindiging
  if (verzonden && !voorliggend && !overlijden(run.facts)) {
    const nogVoorliggend = (facts: readonly Fact[]) =>
      wlzZorgGaatDoor(facts, verzonden.wlzKey) ||
      decide(facts, ctx.today, ctx.productcodeRegels).some(
        (x) => x.referentie === ref && x.beoordeling === 'wlz-voorliggend',
      );
    if (moetCorrigeren(run, verzonden, nogVoorliggend)) verstuurCorrectie(run, verzonden);
  }
  const staat = verzonden?.status === 'verzonden' ? verzonden : undefined;
  let gewenst: BeeindigingRecord | undefined;
  if (!staat && d?.voorstel && ctx.policy(d.gemeente) !== 'alleen-signaal') {
    gewenst = voorstel(run, d, d.voorstel);
  }
  const geannuleerd = records.filter((r) => r.status === 'voorgesteld' && r !== gewenst);
  for (const r of geannuleerd) r.status = 'geannuleerd';
  const correcties = records
    .filter((r) => r.status === 'gecorrigeerd')
    .sort((a, b) => (laatste(a) < laatste(b) ? 1 : -1));
  return { signaal: staat ?? gewenst ?? correcties[0], vervallen: verzonden ?? geannuleerd[0] };
}

/** The beëindiging a decision calls for: existing (voorgesteld, afgewezen, verzonden) or new / revived. */
function voorstel(run: Run, d: Decision, v: NonNullable<Decision['voorstel']>) {
  const { state, ctx } = run;
  const id = beeindigingId({
    gemeente: d.gemeente,
    toewijzing: d.wmoKey,
    wlz: d.wlzKey,
    doelEinddatum: v.doelEinddatum,
    // 06 ids as before; a 02 (client overleden) is a beëindiging of its own
    ...(v.redenWijziging === '02' ? { redenWijziging: '02' } : {}),
  });
  const bestaand = state.beeindigingen[id];
  if (bestaand && bestaand.status !== 'geannuleerd' && bestaand.status !== 'gecorrigeerd') {
    // an open proposal whose Einddatum has passed moves to today: never with retroactive effect
    if (bestaand.status === 'voorgesteld') bestaand.einddatum = v.einddatum;
    return bestaand;
  }
  const w = toewijzingFact(run.facts, d.wmoKey);
  if (!w) throw new Error(`decision ${d.referentie}: toewijzing not in the facts`);
  const r: BeeindigingRecord = {
    id,
    gemeente: d.gemeente,
    referentie: d.referentie,
    toewijzingKey: d.wmoKey,
    toewijzingnummer: w.toewijzingnummer,
    aanbieder: w.aanbieder,
    wlzKey: d.wlzKey,
    wlzIngangsdatum: v.wlzIngangsdatum,
    doelEinddatum: v.doelEinddatum,
    einddatum: v.einddatum,
    vorigeEinddatum: w.einddatum ?? null,
    redenWijziging: v.redenWijziging,
    status: 'voorgesteld',
    // a revived beëindiging keeps its messages, so a new WMO301 gets a new Identificatie
    berichten: bestaand?.berichten ?? [],
  };
  state.beeindigingen[id] = r;
  // a 02 (client overleden) is only ever proposed: the gemeente confirms it
  if (ctx.policy(d.gemeente) === 'automatisch' && v.redenWijziging === '06') verstuurBeeindiging(run, r);
  return r;
}

export function beeindigingData(r: BeeindigingRecord): BeeindigingData {
  const data: BeeindigingData = {
    id: r.id,
    einddatum: r.einddatum,
    redenWijziging: r.redenWijziging ?? '06',
    status: r.status,
  };
  if (r.status === 'gecorrigeerd') data.herstel = { einddatum: r.vorigeEinddatum, redenWijziging: '14' };
  if (r.besluit) data.besluit = { ...r.besluit };
  return data;
}

/** A notification on `subject`, its id chained to the previous one on the same subject. */
export function notification<O extends NotificationOutput>(
  kind: O['kind'],
  gemeente: string,
  subject: string,
  data: O['data'],
  previous: string | null,
): O {
  return { kind, gemeente, subject, data, id: eventId(EVENT_TYPE[kind], subject, data, previous) } as O;
}

function push(run: Run, o: NotificationOutput) {
  run.outputs.push(o);
  run.state.lastEventIds[o.subject] = o.id;
  run.state.history.push({ type: EVENT_TYPE[o.kind], id: o.id, time: run.ctx.now, subject: o.subject });
}

function emitSignaal(run: Run, d: Decision, getoond: BeeindigingRecord | undefined): void {
  const data: SignaalData = {
    gemeente: d.gemeente,
    client: { ...d.client, bsn: run.bsn },
    wlz: d.wlz,
    wmo: d.wmo,
    beoordeling: d.beoordeling,
    regel: d.regel,
  };
  if (d.overlijdensdatum !== undefined) data.overlijdensdatum = d.overlijdensdatum;
  if (getoond) data.beeindiging = beeindigingData(getoond);
  const fingerprint = sha256Hex(canonicalJson(data));
  if (run.state.decisions[d.referentie]?.fingerprint === fingerprint) return;
  const o = notification(
    'signaal',
    d.gemeente,
    d.referentie,
    data,
    run.state.lastEventIds[d.referentie] ?? null,
  );
  run.state.decisions[d.referentie] = { gemeente: d.gemeente, eventId: o.id, fingerprint, data };
  heropend(run, d.referentie);
  push(run, o);
}

function emitVervallen(run: Run, ref: string, getoond: BeeindigingRecord | undefined): void {
  const vorig = run.state.decisions[ref]!;
  const w = run.facts.filter(isWmo).find((f) => referentie(f) === ref);
  const data: VervallenData = {
    gemeente: vorig.gemeente,
    client: vorig.data.client,
    wmo: w ? wmoData(w) : vorig.data.wmo,
    reden: redenZonderBesluit(w, run.facts, run.ctx.today),
  };
  if (getoond) data.beeindiging = beeindigingData(getoond);
  const o = notification('vervallen', vorig.gemeente, ref, data, run.state.lastEventIds[ref] ?? null);
  delete run.state.decisions[ref];
  markeerAfgesloten(run, ref, vorig.gemeente);
  push(run, o);
}
