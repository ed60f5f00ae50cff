// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { RowChange as _kasho_v1_RowChange, RowChange__Output as _kasho_v1_RowChange__Output } from '../../kasho/v1/RowChange';
import type { TruncateChange as _kasho_v1_TruncateChange, TruncateChange__Output as _kasho_v1_TruncateChange__Output } from '../../kasho/v1/TruncateChange';
import type { DdlChange as _kasho_v1_DdlChange, DdlChange__Output as _kasho_v1_DdlChange__Output } from '../../kasho/v1/DdlChange';
import type { CommitChange as _kasho_v1_CommitChange, CommitChange__Output as _kasho_v1_CommitChange__Output } from '../../kasho/v1/CommitChange';

export interface Change {
  'position'?: (string);
  'row'?: (_kasho_v1_RowChange | null);
  'truncate'?: (_kasho_v1_TruncateChange | null);
  'ddl'?: (_kasho_v1_DdlChange | null);
  'commit'?: (_kasho_v1_CommitChange | null);
  'payload'?: "row"|"truncate"|"ddl"|"commit";
}

export interface Change__Output {
  'position': (string);
  'row'?: (_kasho_v1_RowChange__Output | null);
  'truncate'?: (_kasho_v1_TruncateChange__Output | null);
  'ddl'?: (_kasho_v1_DdlChange__Output | null);
  'commit'?: (_kasho_v1_CommitChange__Output | null);
  'payload'?: "row"|"truncate"|"ddl"|"commit";
}
