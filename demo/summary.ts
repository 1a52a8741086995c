/**
 * A short human summary of what the gemeenten received: per gemeente, per Wmo toewijzing, each signal with
 * its beoordeling and rule, and each WMO301 sent to an aanbieder. Pure: it reads the outputs, nothing else.
 */

export interface ReceivedOutput {
  gemeente: string;
  channel: 'samenloop' | 'beeindigingen';
  value: string;
}

interface EventLike {
  type: string;
  subject: string;
  data: {
    client?: { naam?: string | null };
    wmo?: { toewijzingnummer?: string | null; productcategorie?: string | null; aanbieder?: string | null };
    beoordeling?: string;
    regel?: { id?: string };
    reden?: string;
    beeindiging?: { einddatum: string; status: string };
  };
}

/** One line per received output, in a stable order: gemeente, then arrival. */
export function summaryLines(outputs: readonly ReceivedOutput[]): string[] {
  const gemeenten = [...new Set(outputs.map((o) => o.gemeente))].sort();
  const lines: string[] = [];
  for (const g of gemeenten) {
    lines.push(`gemeente ${g}:`);
    for (const o of outputs.filter((x) => x.gemeente === g)) lines.push(`  ${describe(o)}`);
  }
  return lines;
}

export function describe(o: ReceivedOutput): string {
  if (o.channel === 'beeindigingen') {
    const tag = (xml: string, name: string) => new RegExp(`<(?:\\w+:)?${name}>([^<]*)<`).exec(xml)?.[1];
    const changes = o.value
      .split(/<(?:\w+:)?ToegewezenProduct>/)
      .slice(1)
      .filter((p) => tag(p, 'RedenWijziging') !== undefined)
      .map(
        (p) =>
          `toewijzing ${tag(p, 'ToewijzingNummer') ?? '?'} ends ${tag(p, 'Einddatum') ?? '-'} ` +
          `(RedenWijziging ${tag(p, 'RedenWijziging') ?? '?'})`,
      );
    return `WMO301 sent to aanbieder ${tag(o.value, 'Ontvanger') ?? '?'}: ${changes.join('; ') || 'no change'}`;
  }
  const e = JSON.parse(o.value) as EventLike;
  const d = e.data;
  const wmo = d.wmo
    ? `toewijzing ${d.wmo.toewijzingnummer ?? '-'} (categorie ${d.wmo.productcategorie ?? '-'}, aanbieder ${d.wmo.aanbieder ?? '-'})`
    : e.subject;
  const who = d.client?.naam ?? 'client';
  if (e.type.endsWith('.signaal')) {
    const b = d.beeindiging ? `; beëindiging ${d.beeindiging.status} per ${d.beeindiging.einddatum}` : '';
    return `signaal ${d.beoordeling} for ${who}, ${wmo}, rule ${d.regel?.id ?? '?'}${b}`;
  }
  if (e.type.endsWith('.vervallen')) return `signaal withdrawn for ${who}, ${wmo}: ${d.reden ?? '?'}`;
  return `${e.type} for ${wmo}`;
}
