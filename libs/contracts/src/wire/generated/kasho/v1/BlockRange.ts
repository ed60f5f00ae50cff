// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Long } from '@grpc/proto-loader';

export interface BlockRange {
  'start_block'?: (number | string | Long);
  'end_block'?: (number | string | Long);
}

export interface BlockRange__Output {
  'start_block': (string);
  'end_block': (string);
}
