/**
 * What an input message kind is, as a descriptor: its name, the input topic it belongs on, the sender
 * kind of its facts, and how it is recognised, checked and parsed. Each kind lives in a folder of its own
 * (io31/, aw33/, wmo301/, netwerkmodel/) whose index.ts exports its descriptor; ./registry.ts lists them,
 * so adding a kind is one folder plus one line there.
 */
import type { z } from 'zod';
import type { SourceKind } from '../domain/facts';
import type { HeaderExpectation } from './istandaard/header';
import type { ParsedMessage } from './types';
import type { XmlElement } from './xml';

/** The input topics by what they carry (their names come from the configuration: services/topics). */
export const INPUT_KINDS = ['indicatiebesluiten', 'zorgtoewijzingen', 'wmo-toewijzingen'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Namespaces of an iStandaarden message: its own and its basisschema's. */
export interface MessageNamespaces {
  message: string;
  basis: string;
}

/** An iStandaarden XML message kind, without its parser (what the parser itself needs). */
export interface XmlKindInfo<S extends z.ZodType = z.ZodType> {
  /** The message name, e.g. `IO31`: also the source kind of its facts. */
  name: SourceKind;
  /** The input topic it belongs on. */
  input: InputKind;
  /** Who sends it (documentation: reasons and the README). */
  sender: string;
  namespaces: MessageNamespaces;
  /** The fixed header values the XSD patterns demand (BerichtCode, -Versie, -Subversie). */
  header: HeaderExpectation;
  /** The zod schema of the XSD's element tree (its `schema.ts`). */
  schema: S;
}

export interface XmlKind<S extends z.ZodType = z.ZodType> extends XmlKindInfo<S> {
  format: 'xml';
  /** The root element to facts; throws an IngestFailure (checks.fail) for bad content. */
  parse(root: XmlElement, kind: XmlKindInfo<S>): ParsedMessage;
}

/** A JSON message kind (a netwerkmodel event). */
export interface JsonKind {
  name: SourceKind;
  format: 'json';
  input: InputKind;
  sender: string;
  parse(text: string): ParsedMessage;
}

export type MessageKind = XmlKind | JsonKind;
