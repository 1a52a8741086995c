import type { ClientState } from '../../services/register/state';

/**
 * What must be equal between two registers built from the same input (a clean run and a crashed or
 * rebuilt one): the facts, the decisions last sent and the beëindigingen with their status. Left out:
 * where a record sat in Kafka (partitions differ between runs) and wall-clock times (history, the
 * Toewijzingsdatum/-tijd of a WMO301 that was sent).
 */
export function normalizeClient(state: ClientState | undefined): unknown {
  if (!state) return undefined;
  const facts = Object.fromEntries(
    Object.keys(state.facts)
      .sort()
      .map((k) => [k, state.facts[k]!.fact]),
  );
  const e = state.engine;
  return {
    bsn: state.bsn,
    facts,
    applied: Object.keys(state.applied).sort(),
    decisions: e
      ? Object.fromEntries(
          Object.keys(e.decisions)
            .sort()
            .map((k) => [
              k,
              {
                gemeente: e.decisions[k]!.gemeente,
                eventId: e.decisions[k]!.eventId,
                fingerprint: e.decisions[k]!.fingerprint,
              },
            ]),
        )
      : {},
    beeindigingen: e
      ? Object.fromEntries(
          Object.keys(e.beeindigingen)
            .sort()
            .map((k) => {
              const { berichten, ...rest } = e.beeindigingen[k]!;
              return [
                k,
                {
                  ...rest,
                  berichten: berichten.map((b) => ({
                    soort: b.soort,
                    id: b.id,
                    einddatum: b.product.einddatum ?? null,
                    redenWijziging: b.product.redenWijziging ?? null,
                  })),
                },
              ];
            }),
        )
      : {},
    lastEventIds: e?.lastEventIds ?? {},
  };
}
