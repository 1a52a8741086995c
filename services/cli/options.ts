import { InvalidArgumentError } from 'commander';

const GEMEENTECODE = /^\d{4}$/;

/** A 4-digit gemeentecode (commander argument parser: a bad one is a usage error). */
export function gemeentecode(value: string): string {
  if (!GEMEENTECODE.test(value)) throw new InvalidArgumentError('a gemeentecode is 4 digits, e.g. 0363');
  return value;
}

/** Comma-separated gemeentecodes, added to what came before. */
export function gemeentecodes(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => gemeentecode(v.trim()))];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date YYYY-MM-DD that exists. */
export function isoDate(value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new InvalidArgumentError('a date is YYYY-MM-DD, e.g. 2026-11-23');
  return value;
}
