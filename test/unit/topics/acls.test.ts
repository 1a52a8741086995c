import { loadConfig } from '../../../services/config';
import { consoleAcls, gemeenteAcls, processorAcls } from '../../../services/topics/acls';

describe('the ACLs of each principal', () => {
  const cfg = loadConfig({});

  it('give a gemeente its five topics literally and its groups by a prefix that ends with a dot', () => {
    const acls = gemeenteAcls(cfg, '0363');
    expect(acls.map((a) => `${a.operation} ${a.resource} ${a.pattern} ${a.name}`)).toEqual([
      'READ TOPIC LITERAL gemeente.0363.samenloop',
      'READ TOPIC LITERAL gemeente.0363.beeindigingen',
      'WRITE TOPIC LITERAL gemeente.0363.toewijzingen',
      'WRITE TOPIC LITERAL gemeente.0363.opdrachten',
      'WRITE TOPIC LITERAL gemeente.0363.uploads',
      'READ GROUP PREFIXED gemeente.0363.',
    ]);
    expect(new Set(acls.map((a) => a.principal))).toEqual(new Set(['User:gemeente-0363']));
  });

  it("never let one gemeente's resources match another's, however their codes begin", () => {
    const codes = ['0036', '0363', '0003', '3630'];
    for (const a of codes)
      for (const b of codes.filter((x) => x !== a))
        for (const acl of gemeenteAcls(cfg, a)) {
          const theirs = gemeenteAcls(cfg, b).map((x) => x.name);
          const matches = (name: string) =>
            acl.pattern === 'PREFIXED' ? name.startsWith(acl.name) : name === acl.name;
          expect({ a, b, acl: acl.name, matches: theirs.filter(matches) }).toEqual({
            a,
            b,
            acl: acl.name,
            matches: [],
          });
        }
  });

  it('give the processor its group, its transactional ids by prefix and its topics', () => {
    const acls = processorAcls({ ...cfg, TOPIC_WMO_TRUSTED_BRIDGE: 'ggk.wmo' });
    const lines = acls.map((a) => `${a.operation} ${a.resource} ${a.pattern} ${a.name}`);
    expect(lines).toContain('READ GROUP LITERAL samenloop-processor');
    expect(lines).toContain('WRITE TRANSACTIONAL_ID PREFIXED samenloop-processor.');
    expect(lines).toContain('READ TOPIC LITERAL ggk.wmo');
    expect(lines).toContain('WRITE TOPIC PREFIXED gemeente.');
    expect(lines).not.toContain('READ TOPIC LITERAL wmo.toewijzingen');
    expect(() => processorAcls({ ...cfg, TOPIC_GEMEENTE_PREFIX: '' })).toThrow(
      /TOPIC_GEMEENTE_PREFIX is empty/,
    );
  });
});

describe('the console', () => {
  it("never gets a transactional id prefix that matches the processor's", () => {
    const cfg = loadConfig({});
    const processor = processorAcls(cfg).filter((a) => a.resource === 'TRANSACTIONAL_ID');
    const console = consoleAcls(cfg).filter((a) => a.resource === 'TRANSACTIONAL_ID');
    expect(console.map((a) => a.name)).toEqual(['samenloop-cli-', 'samenloop-import-', 'samenloop-dlq-']);
    const processorIds = [`${cfg.KAFKA_GROUP_ID}.${cfg.TOPIC_DLQ}.0`, `${processor[0]!.name}x`];
    for (const c of console) expect(processorIds.filter((id) => id.startsWith(c.name))).toEqual([]);
  });
});
