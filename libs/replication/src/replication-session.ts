import { ChangeEnvelope, bigIntToLsn, lsnToBigInt } from '@kasho/contracts';
import { ClientConfig } from 'pg';
import { LogicalReplicationService, Pgoutput } from 'pg-logical-replication';
import { SkippedDdl } from './derived-ddl';
import { PgoutputDecoder } from './pgoutput-decoder';
import {
  PublicationSwitchError,
  ReplicationError,
  SlotInUseError,
  SourcePrivilegeError,
  SourceSetupError,
  isPrivilegeError,
  pgMessage,
  sqlState,
} from './replication.errors';
import { TextPgoutputPlugin } from './text-pgoutput.plugin';
import { TypeNames } from './type-names';

export interface WalReaderHandlers {
  /** One transaction's changes in order, in chunks; the last chunk ends with the commit entry. Awaited before the next message is read. */
  onChanges(changes: ChangeEnvelope[]): Promise<void>;
  /**
   * A primary keepalive. `idle` is true when every message received so far has been handed on and
   * no transaction is half-read: only then may `walEndLsn` itself be acknowledged (if nothing handed
   * on is still unapplied). With `shouldRespond`, answer with a status update (acknowledge the last
   * durable position) or the server drops the connection after wal_sender_timeout.
   */
  onKeepalive(walEndLsn: bigint, shouldRespond: boolean, idle: boolean): Promise<void> | void;
  /** The session ended on an error (source down, undecodable change, onChanges rejected). Call stop(), then start() again. */
  onError(err: Error): void;
  /** A command run inside a function or DO block that could not be derived, so it is not replicated (see PgoutputDecoderOptions). */
  onSkippedDdl?(skipped: SkippedDdl): void;
}

export interface SessionConfig {
  client: ClientConfig;
  slotName: string;
  /** pgoutput's publication_names: the pipeline's two publications (or `main` alone, see StreamPlan). */
  publicationNames: string[];
  /** Once an acknowledgement reaches this LSN the session ends with a {@link PublicationSwitchError}, to restart with both publications. */
  switchAtLsn?: bigint;
  typeNames: TypeNames;
  chunkSize?: number;
}

const STOP_TIMEOUT_MS = 5_000;

/**
 * One START_REPLICATION session. Streams from the slot's confirmed_flush_lsn (`0/0`), never
 * acknowledges on its own (`auto: false, timeoutSeconds: 0`), and reads the next message only once
 * the previous one is handled (flow control). After the first error it hands nothing more on.
 */
export class ReplicationSession {
  private readonly service: LogicalReplicationService;
  private readonly decoder: PgoutputDecoder;
  private phase: 'new' | 'starting' | 'streaming' | 'done' = 'new';
  private received = 0;
  private processed = 0;
  private rejectStart?: (err: Error) => void;
  private stopping?: Promise<void>;

  constructor(
    private readonly config: SessionConfig,
    private readonly handlers: WalReaderHandlers,
  ) {
    this.service = new LogicalReplicationService(config.client, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: true },
    });
    this.decoder = new PgoutputDecoder({
      typeNames: config.typeNames,
      chunkSize: config.chunkSize,
      onSkippedDdl: (skipped) => handlers.onSkippedDdl?.(skipped),
    });
  }

  get streaming(): boolean {
    return this.phase === 'streaming';
  }

  /** Resolves once the server has started streaming; rejects (SlotInUseError...) if it does not. */
  start(): Promise<void> {
    if (this.phase !== 'new') throw new ReplicationError('a replication session starts once');
    this.phase = 'starting';
    const plugin = new TextPgoutputPlugin({ protoVersion: 1, publicationNames: this.config.publicationNames }, () => this.received++);
    this.service.on('data', (_lsn: string, message: Pgoutput.Message) => this.onData(message));
    this.service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) => this.onHeartbeat(lsn, shouldRespond));
    this.service.on('error', (err: unknown) => this.fail(this.translate(err)));
    return new Promise<void>((resolve, reject) => {
      this.rejectStart = reject;
      this.service.once('start', () => {
        if (this.phase !== 'starting') return;
        this.phase = 'streaming';
        resolve();
      });
      this.service.subscribe(plugin, this.config.slotName, '0/0').then(
        () => this.fail(new ReplicationError(`the source ended the replication stream of slot "${this.config.slotName}"`)),
        (err: unknown) => this.fail(this.translate(err)),
      );
    });
  }

  /** Sends a standby status update with write = flush = apply = `lsn` (exactly; the library adds 1, so it gets lsn - 1). */
  async acknowledge(lsn: bigint): Promise<void> {
    if (this.phase !== 'streaming') throw new ReplicationError('cannot acknowledge: the WAL reader is not streaming');
    if (lsn <= 0n) return;
    await this.service.acknowledge(bigIntToLsn(lsn - 1n));
    const switchAt = this.config.switchAtLsn;
    if (switchAt !== undefined && lsn >= switchAt) this.fail(new PublicationSwitchError(this.config.publicationNames[0], switchAt));
  }

  /** Closes the replication connection; idempotent. Does not wait for an onChanges call in flight. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.phase = 'done';
    this.rejectStart?.(new ReplicationError('the WAL reader was stopped while starting'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
    await Promise.race([this.service.destroy().catch(() => undefined), timeout]);
    clearTimeout(timer);
    this.service.on('error', () => undefined);
  }

  private async onData(message: Pgoutput.Message): Promise<void> {
    try {
      if (this.phase !== 'streaming') return;
      const changes = this.decoder.push(message);
      if (changes.length > 0) await this.handlers.onChanges(changes);
    } catch (err) {
      this.fail(err instanceof Error ? err : new ReplicationError(String(err)));
    } finally {
      this.processed++;
    }
  }

  private async onHeartbeat(lsn: string, shouldRespond: boolean): Promise<void> {
    if (this.phase !== 'streaming') return;
    const idle = this.received === this.processed && !this.decoder.inTransaction;
    try {
      await this.handlers.onKeepalive(lsnToBigInt(lsn), shouldRespond, idle);
    } catch (err) {
      this.fail(err instanceof Error ? err : new ReplicationError(String(err)));
    }
  }

  /** First error wins: rejects start() if still starting, else reports once and closes the stream. */
  private fail(err: Error): void {
    if (this.phase === 'starting') {
      this.phase = 'done';
      this.rejectStart?.(err);
      void this.stop();
    } else if (this.phase === 'streaming') {
      this.phase = 'done';
      void this.service.stop().catch(() => undefined);
      this.handlers.onError(err);
    }
  }

  private translate(err: unknown): Error {
    const slot = this.config.slotName;
    const message = pgMessage(err);
    const active = /replication slot ".*" is active for PID (\d+)/i.exec(message);
    if (active || sqlState(err) === '55006') return new SlotInUseError(slot, active ? Number(active[1]) : null);
    if (sqlState(err) === '42704' && /replication slot/i.test(message)) {
      return new SourceSetupError(`replication slot "${slot}" does not exist on the source; run the source setup (sql/30-replication-slot.sql)`, {
        cause: err,
      });
    }
    if (isPrivilegeError(err))
      return new SourcePrivilegeError('30-replication-slot.sql', `stream from replication slot "${slot}" (the role needs REPLICATION)`, err);
    return new ReplicationError(`replication from slot "${slot}" failed: ${message}`, { cause: err });
  }
}
