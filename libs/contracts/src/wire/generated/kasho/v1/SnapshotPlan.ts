// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { SnapshotTable as _kasho_v1_SnapshotTable, SnapshotTable__Output as _kasho_v1_SnapshotTable__Output } from '../../kasho/v1/SnapshotTable';
import type { SequenceValue as _kasho_v1_SequenceValue, SequenceValue__Output as _kasho_v1_SequenceValue__Output } from '../../kasho/v1/SequenceValue';

export interface SnapshotPlan {
  'snapshot_id'?: (string);
  'consistent_lsn'?: (string);
  'pre_data_sql'?: (string);
  'post_data_sql'?: (string);
  'tables'?: (_kasho_v1_SnapshotTable)[];
  'sequences'?: (_kasho_v1_SequenceValue)[];
  'resumed'?: (boolean);
  'source_version_num'?: (number);
}

export interface SnapshotPlan__Output {
  'snapshot_id': (string);
  'consistent_lsn': (string);
  'pre_data_sql': (string);
  'post_data_sql': (string);
  'tables': (_kasho_v1_SnapshotTable__Output)[];
  'sequences': (_kasho_v1_SequenceValue__Output)[];
  'resumed': (boolean);
  'source_version_num': (number);
}
