// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { CopyFormat as _kasho_v1_CopyFormat, CopyFormat__Output as _kasho_v1_CopyFormat__Output } from '../../kasho/v1/CopyFormat';
import type { Long } from '@grpc/proto-loader';

export interface CopyRangeRequest {
  'snapshot_id'?: (string);
  'schema'?: (string);
  'table'?: (string);
  'start_block'?: (number | string | Long);
  'end_block'?: (number | string | Long);
  'format'?: (_kasho_v1_CopyFormat);
}

export interface CopyRangeRequest__Output {
  'snapshot_id': (string);
  'schema': (string);
  'table': (string);
  'start_block': (string);
  'end_block': (string);
  'format': (_kasho_v1_CopyFormat__Output);
}
