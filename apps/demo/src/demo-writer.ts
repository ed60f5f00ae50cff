import type { Pool } from 'pg';

const FIRST = ['Ada', 'Bruno', 'Carmen', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jamal', 'Kira', 'Leon', 'Maya', 'Nikhil', 'Oona', 'Pablo'];
const LAST = ['Andersen', 'Bianchi', 'Castillo', 'Dimitrov', 'Eriksen', 'Fontaine', 'Gallagher', 'Horvat', 'Iyer', 'Jovanovic', 'Keller', 'Larsen'];
const CITIES = ['Portland', 'Austin', 'Denver', 'Boston', 'Chicago', 'Seattle'];

/** The demo's heartbeat: one row whose `seq` changes in every write transaction. */
export const HEARTBEAT_DDL = `CREATE TABLE IF NOT EXISTS demo_heartbeat (id int PRIMARY KEY, seq bigint NOT NULL, written_at timestamptz NOT NULL)`;

export interface WriterStats {
  inserts: number;
  updates: number;
  errors: number;
  lastError?: string;
}

/**
 * Keeps the source busy like a small application would: about once a second it inserts a user or
 * updates one (email, phone, sometimes the name), and in the same transaction bumps the heartbeat,
 * whose arrival on the target measures replication lag.
 */
export class DemoWriter {
  readonly stats: WriterStats = { inserts: 0, updates: 0, errors: 0 };
  /** seq -> Date.now() when its transaction committed on the source. */
  private readonly committedAt = new Map<number, number>();
  private seq = 0;
  private maxUserId = 0;
  private inFlight?: Promise<void>;

  constructor(private readonly source: Pool) {}

  async init(): Promise<void> {
    await this.source.query(HEARTBEAT_DDL);
    await this.source.query(`INSERT INTO demo_heartbeat (id, seq, written_at) VALUES (1, 0, clock_timestamp()) ON CONFLICT (id) DO NOTHING`);
    const { rows } = await this.source.query<{ max: string | null }>('SELECT max(id)::text AS max FROM users');
    this.maxUserId = Number(rows[0]?.max ?? 0);
  }

  /** One write transaction; errors are counted and shown, never thrown (the demo keeps going). */
  tick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.write().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Resolves once the write in progress, if any, has finished. */
  async drain(): Promise<void> {
    await this.inFlight;
  }

  committedAtOf(seq: number): number | undefined {
    return this.committedAt.get(seq);
  }

  get lastSeq(): number {
    return this.seq;
  }

  private async write(): Promise<void> {
    const seq = this.seq + 1;
    const client = await this.source.connect();
    try {
      await client.query('BEGIN');
      const insert = seq % 2 === 1 || this.maxUserId === 0;
      if (insert) {
        const first = FIRST[seq % FIRST.length];
        const last = LAST[(seq * 7) % LAST.length];
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO users (organization_id, name, email, phone, password, ssn, street_address, city, role)
           SELECT o.id, $2, $3 || '@' || o.domain, $4, $5, $6, $7, $8, 'member' FROM organizations o WHERE o.id = $1
           RETURNING id::text`,
          [
            1 + (seq % 8),
            `${first} ${last}`,
            `${first.toLowerCase()}.${last.toLowerCase()}.live${seq}`,
            phone(seq),
            `$2a$10$${'demo'.padEnd(53, String(seq % 10))}`,
            `9${String(seq % 100).padStart(2, '0')}-${String(1 + (seq % 99)).padStart(2, '0')}-${String(1 + ((seq * 7907) % 9999)).padStart(4, '0')}`,
            `${100 + ((seq * 53) % 9800)} Demo Street`,
            CITIES[seq % CITIES.length],
          ],
        );
        if (rows[0]) this.maxUserId = Math.max(this.maxUserId, Number(rows[0].id));
      } else {
        const id = 1 + ((seq * 7919) % this.maxUserId);
        await client.query(
          `UPDATE users SET email = split_part(email, '@', 1) || '.u' || $2 || '@' || split_part(email, '@', 2),
                            phone = $3, name = CASE WHEN $2::int % 4 = 0 THEN $4 ELSE name END, updated_at = now()
           WHERE id = $1`,
          [id, seq, phone(seq * 13), `${FIRST[(seq * 3) % FIRST.length]} ${LAST[(seq * 5) % LAST.length]}`],
        );
      }
      await client.query('UPDATE demo_heartbeat SET seq = $1, written_at = clock_timestamp() WHERE id = 1', [seq]);
      await client.query('COMMIT');
      this.committedAt.set(seq, Date.now());
      this.committedAt.delete(seq - 600);
      this.seq = seq;
      if (insert) this.stats.inserts++;
      else this.stats.updates++;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.stats.errors++;
      this.stats.lastError = (err as Error).message;
    } finally {
      client.release();
    }
  }
}

function phone(n: number): string {
  return `(${200 + ((n * 37) % 800)}) 555-${String((n * 7919) % 10000).padStart(4, '0')}`;
}
