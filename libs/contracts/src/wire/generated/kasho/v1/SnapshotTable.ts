// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Column as _kasho_v1_Column, Column__Output as _kasho_v1_Column__Output } from '../../kasho/v1/Column';
import type { BlockRange as _kasho_v1_BlockRange, BlockRange__Output as _kasho_v1_BlockRange__Output } from '../../kasho/v1/BlockRange';
import type { UniqueIndex as _kasho_v1_UniqueIndex, UniqueIndex__Output as _kasho_v1_UniqueIndex__Output } from '../../kasho/v1/UniqueIndex';
import type { ForeignKey as _kasho_v1_ForeignKey, ForeignKey__Output as _kasho_v1_ForeignKey__Output } from '../../kasho/v1/ForeignKey';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotTable {
  'schema'?: (string);
  'table'?: (string);
  'columns'?: (_kasho_v1_Column)[];
  'estimated_rows'?: (number | string | Long);
  'estimated_bytes'?: (number | string | Long);
  'ranges'?: (_kasho_v1_BlockRange)[];
  'post_data_sql'?: (string);
  'unique_indexes'?: (_kasho_v1_UniqueIndex)[];
  'foreign_keys'?: (_kasho_v1_ForeignKey)[];
}

export interface SnapshotTable__Output {
  'schema': (string);
  'table': (string);
  'columns': (_kasho_v1_Column__Output)[];
  'estimated_rows': (string);
  'estimated_bytes': (string);
  'ranges': (_kasho_v1_BlockRange__Output)[];
  'post_data_sql': (string);
  'unique_indexes': (_kasho_v1_UniqueIndex__Output)[];
  'foreign_keys': (_kasho_v1_ForeignKey__Output)[];
}
