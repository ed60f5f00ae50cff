import { join } from 'node:path';

export const KASHO_PROTO_PACKAGE = 'kasho.v1';
export const CHANGE_STREAM_SERVICE_NAME = 'ChangeStream';

/** Absolute path of the .proto, valid both from sources (ts-jest) and from dist/. */
export const KASHO_PROTO_PATH = join(__dirname, 'proto', 'kasho.proto');

/**
 * proto-loader options; server and client must use the same ones. `longs: String` keeps 64-bit
 * integers exact, `keepCase` keeps snake_case field names, `oneofs` adds the discriminator field.
 */
export const KASHO_PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;
