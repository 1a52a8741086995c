/**
 * A gemeente's command on a proposed beëindiging, as the engine takes it (the wire format and its
 * validation are in services/ingest/command).
 */
export const COMMAND_TYPES = ['beeindiging.bevestigen', 'beeindiging.afwijzen'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export interface GemeenteCommand {
  type: CommandType;
  beeindigingId: string;
  /** Who decided: the gemeente's medewerker (a name or an id), carried into the notification and the audit trail. */
  door: string;
  /** Why, in the medewerker's words (optional). */
  toelichting?: string;
}

/** Longest `door` and `toelichting` of a command. */
export const DOOR_MAX = 100;
export const TOELICHTING_MAX = 1000;

/** Format of a beëindiging id (what gemeenten put in their commands). */
export const BEEINDIGING_ID_PATTERN = /^bd-[0-9a-f]{24}$/;
