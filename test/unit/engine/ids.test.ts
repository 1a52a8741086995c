import {
  beeindigingId,
  BEEINDIGING_ID_PATTERN,
  canonicalJson,
  sha256Base32,
  wmo301Identificatie,
} from '../../../services/engine/ids';
import { eventId } from '../../../services/engine/outputs';

describe('ids', () => {
  it('canonical JSON sorts keys at every level and leaves out undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"x":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('a WMO301 Identificatie is 12 characters (LDT_IdentificatieBericht), deterministic', () => {
    const id = wmo301Identificatie({ a: 1 });
    expect(id).toMatch(/^SL[A-Z2-7]{10}$/);
    expect(wmo301Identificatie({ a: 1 })).toBe(id);
    expect(wmo301Identificatie({ a: 2 })).not.toBe(id);
    expect(sha256Base32('x', 40)).toMatch(/^[A-Z2-7]{40}$/);
  });

  it('beëindiging ids and event ids', () => {
    expect(beeindigingId({ x: 1 })).toMatch(BEEINDIGING_ID_PATTERN);
    const a = eventId('nl.samenloop.signaal', 's', { d: 1 }, null);
    expect(a).toMatch(/^sl-[0-9a-f]{32}$/);
    expect(eventId('nl.samenloop.signaal', 's', { d: 1 }, null)).toBe(a);
    expect(eventId('nl.samenloop.signaal', 's', { d: 1 }, 'sl-x')).not.toBe(a);
    expect(eventId('nl.samenloop.vervallen', 's', { d: 1 }, null)).not.toBe(a);
  });
});
