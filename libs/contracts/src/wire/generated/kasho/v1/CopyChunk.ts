// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Long } from '@grpc/proto-loader';

export interface CopyChunk {
  'data'?: (Buffer | Uint8Array | string);
  'rows'?: (number | string | Long);
}

export interface CopyChunk__Output {
  'data': (Buffer);
  'rows': (string);
}
