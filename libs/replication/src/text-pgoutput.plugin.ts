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
}
