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

/**
 * The largest gRPC message either side sends or accepts: 256 MiB. One change always travels in one
 * ChangeBatch (pages are cut between changes), so a single row with its old values must fit; a
 * change larger than {@link MAX_STREAMED_CHANGE_BYTES} stops the stream with an error naming its
 * table and position. gRPC's own default is 4 MiB.
 */
export const GRPC_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** The largest change (UTF-8 bytes of its values and column names) that can be streamed: the message limit less room for framing. */
export const MAX_STREAMED_CHANGE_BYTES = GRPC_MAX_MESSAGE_BYTES - 1024 * 1024;

/** gRPC channel options for the message limits, the same on server and clients. */
export const GRPC_MESSAGE_LIMITS = {
  'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
} as const;
