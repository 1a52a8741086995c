/**
 * A gemeente's command on a proposed beëindiging, as the engine takes it (the wire format and its
 * validation are in services/ingest/command).
 */
export const COMMAND_TYPES = ['beeindiging.bevestigen', 'beeindiging.afwijzen'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export interface GemeenteCommand {
  type: CommandType;
  beeindigingId: string;
}

/** Format of a beëindiging id (what gemeenten put in their commands). */
export const BEEINDIGING_ID_PATTERN = /^bd-[0-9a-f]{24}$/;
