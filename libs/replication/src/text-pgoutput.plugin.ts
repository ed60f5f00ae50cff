import type { Client } from 'pg';
import { Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
// Not re-exported by the package index (2.5.0, pinned); the package has no "exports" map.
import { PgoutputParser } from 'pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser';

const identity = (text: string): string => text;

/**
 * The library's parser decodes values with pg's type parsers (timestamptz → Date truncated to ms,
 * jsonb → object, int[] → array, bytea → Buffer). This one keeps every value exactly as the text
 * pgoutput sent (invariant I7): each relation's column parsers are replaced by the identity as soon
 * as the Relation message is parsed, before any tuple of that relation is read. NULL stays `null`;
 * an unchanged TOAST value stays `undefined`.
 */
export class TextPgoutputParser extends PgoutputParser {
  override parse(buf: Buffer): Pgoutput.Message {
    const message = super.parse(buf);
    if (message.tag === 'relation') for (const column of message.columns) column.parser = identity;
    return message;
  }
}

/** pgoutput proto v1 with the text-preserving parser. `onParsed` sees every message as it is received. */
export class TextPgoutputPlugin extends PgoutputPlugin {
  private readonly textParser = new TextPgoutputParser();

  constructor(
    options: Pgoutput.Options,
    private readonly onParsed: () => void = () => undefined,
  ) {
    super(options);
  }

  override parse(buffer: Buffer): Pgoutput.Message {
    const message = this.textParser.parse(buffer);
    this.onParsed();
    return message;
  }

  /**
   * START_REPLICATION with `proto_version` and `publication_names` only. The library also sends
   * `messages 'false'`, an option pgoutput has only since PostgreSQL 14: a 13 server refuses it
   * ("unrecognized pgoutput option: messages"). Left out, it is false on every version, and Kasho
   * reads no logical decoding messages.
   */
  override start(client: Client, slotName: string, lastLsn: string): Promise<unknown> {
    return client.query(startReplicationSql(slotName, lastLsn, this.options));
  }
}

/** The START_REPLICATION command of a pgoutput slot, valid on PostgreSQL 13 to 17. */
export function startReplicationSql(slotName: string, lastLsn: string, options: Pgoutput.Options): string {
  const pluginOptions = [`proto_version '${options.protoVersion}'`, `publication_names '${options.publicationNames.join(',')}'`];
  return `START_REPLICATION SLOT "${slotName}" LOGICAL ${lastLsn} (${pluginOptions.join(', ')})`;
}
