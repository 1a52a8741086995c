import { withoutUndefined } from '../../../services/ingest/istandaard/header';

describe('withoutUndefined', () => {
  it('keeps every key with a value, falsy ones too, in their order, and drops the undefined ones', () => {
    const input = { a: 'x', b: undefined, c: '', d: 0, e: undefined, f: null, g: false, h: { i: undefined } };
    const out = withoutUndefined(input);
    expect(Object.keys(out)).toEqual(['a', 'c', 'd', 'f', 'g', 'h']);
    expect(out).toEqual({ a: 'x', c: '', d: 0, f: null, g: false, h: { i: undefined } });
    expect(JSON.stringify(out)).toBe(JSON.stringify(input));
  });

  it('makes a new object (no delete on the literal, which V8 would turn into a dictionary) and leaves its input', () => {
    const input = { a: 'x', b: undefined, c: 'y' };
    const out = withoutUndefined(input);
    expect(out).not.toBe(input);
    expect(Object.keys(input)).toEqual(['a', 'b', 'c']);
  });
});
