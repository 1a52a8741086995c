/**
 * The console's Redis: the read model per gemeente (documents per signal, the set of open ones, refused
 * commands per beëindiging, upload verslagen), sessions and login states, all under CONSOLE_REDIS_PREFIX.
 * A gemeente's keys share a hash tag, so its multi-key operations stay in one slot. The register's keys
 * (REDIS_PREFIX) are never read.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SignaalDoc, Weigering } from './model';
import type { Verslag } from './views/uploaden';

export interface Sessie {
  sub: string;
  naam: string;
  gemeenten: string[];
  /** The medewerker as commands and audit records name them. */
  door: string;
  sinds: string;
}

export interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
}

const VERSLAG_TTL_S = 30 * 24 * 3600;

export class ConsoleStore {
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  private g(gemeente: string): string {
    return `${this.prefix}{g${gemeente}}:`;
  }

  /** The generation of the read model: a rebuild starts a new consumer group from the beginning. */
  async generatie(): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}generatie`)) ?? '0');
  }

  async signaal(gemeente: string, id: string): Promise<SignaalDoc | undefined> {
    const raw = await this.redis.get(`${this.g(gemeente)}s:${id}`);
    return raw === null ? undefined : (JSON.parse(raw) as SignaalDoc);
  }

  async bewaar(doc: SignaalDoc): Promise<void> {
    const k = this.g(doc.gemeente);
    const m = this.redis.multi().set(`${k}s:${doc.id}`, JSON.stringify(doc));
    if (doc.status === null) m.srem(`${k}open`, doc.id);
    else m.sadd(`${k}open`, doc.id);
    await m.exec();
  }

  /**
   * Takes a signal out of the model (its tombstone: the decision was retracted long enough ago), with the refused
   * commands on its beëindiging. A signal not there is fine: the tombstone may come again, or after compaction.
   */
  async verwijder(gemeente: string, id: string): Promise<boolean> {
    const doc = await this.signaal(gemeente, id);
    if (!doc) return false;
    const k = this.g(gemeente);
    const m = this.redis.multi().del(`${k}s:${id}`).srem(`${k}open`, id);
    const beeindiging = doc.huidig.beeindiging?.id;
    if (beeindiging) m.del(`${k}w:${beeindiging}`);
    await m.exec();
    return true;
  }

  async open(gemeente: string): Promise<SignaalDoc[]> {
    const k = this.g(gemeente);
    const ids = await this.redis.smembers(`${k}open`);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => `${k}s:${id}`));
    return raws.flatMap((r) => (r === null ? [] : [JSON.parse(r) as SignaalDoc]));
  }

  async weigering(gemeente: string, beeindigingId: string, w: Weigering): Promise<void> {
    await this.redis.hset(`${this.g(gemeente)}w:${beeindigingId}`, w.id, JSON.stringify(w));
  }

  async weigeringen(gemeente: string, beeindigingId: string): Promise<Weigering[]> {
    const all = await this.redis.hvals(`${this.g(gemeente)}w:${beeindigingId}`);
    return all.map((x) => JSON.parse(x) as Weigering).sort((a, b) => a.time.localeCompare(b.time));
  }

  async bewaarVerslag(gemeente: string, v: Verslag, csv: string): Promise<void> {
    await this.redis.set(
      `${this.g(gemeente)}v:${v.uploadId}`,
      JSON.stringify({ v, csv }),
      'EX',
      VERSLAG_TTL_S,
    );
  }

  async verslag(gemeente: string, uploadId: string): Promise<{ v: Verslag; csv: string } | undefined> {
    const raw = await this.redis.get(`${this.g(gemeente)}v:${uploadId}`);
    return raw === null ? undefined : (JSON.parse(raw) as { v: Verslag; csv: string });
  }

  /** Deletes the read model of these gemeenten (not the sessions or verslagen) and starts a new generation. */
  async herbouw(gemeenten: readonly string[]): Promise<number> {
    for (const g of gemeenten) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.g(g)}[swo]*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await this.redis.unlink(...keys);
      } while (cursor !== '0');
    }
    return this.redis.incr(`${this.prefix}generatie`);
  }

  private sessieKey(sid: string): string {
    return `${this.prefix}sessie:${createHash('sha256').update(sid).digest('hex')}`;
  }

  async sessie(sid: string): Promise<Sessie | undefined> {
    const raw = await this.redis.get(this.sessieKey(sid));
    return raw === null ? undefined : (JSON.parse(raw) as Sessie);
  }

  async bewaarSessie(sid: string, s: Sessie, ttlS: number): Promise<void> {
    await this.redis.set(this.sessieKey(sid), JSON.stringify(s), 'EX', ttlS);
  }

  async verwijderSessie(sid: string): Promise<void> {
    await this.redis.del(this.sessieKey(sid));
  }

  async bewaarLogin(handle: string, l: LoginState): Promise<void> {
    await this.redis.set(`${this.prefix}login:${handle}`, JSON.stringify(l), 'EX', 600);
  }

  /** The login state, once: it is deleted as it is read. */
  async neemLogin(handle: string): Promise<LoginState | undefined> {
    const raw = await this.redis.getdel(`${this.prefix}login:${handle}`);
    return raw === null ? undefined : (JSON.parse(raw) as LoginState);
  }
}
