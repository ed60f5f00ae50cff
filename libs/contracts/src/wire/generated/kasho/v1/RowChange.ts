// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Column as _kasho_v1_Column, Column__Output as _kasho_v1_Column__Output } from '../../kasho/v1/Column';
import type { Datum as _kasho_v1_Datum, Datum__Output as _kasho_v1_Datum__Output } from '../../kasho/v1/Datum';

// Original file: libs/contracts/src/proto/kasho.proto

export const _kasho_v1_RowChange_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  INSERT: 'INSERT',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
} as const;

export type _kasho_v1_RowChange_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  | 'INSERT'
  | 1
  | 'UPDATE'
  | 2
  | 'DELETE'
  | 3

export type _kasho_v1_RowChange_Kind__Output = typeof _kasho_v1_RowChange_Kind[keyof typeof _kasho_v1_RowChange_Kind]

export interface RowChange {
  'kind'?: (_kasho_v1_RowChange_Kind);
  'schema'?: (string);
  'table'?: (string);
  'columns'?: (_kasho_v1_Column)[];
  'new_values'?: ({[key: string]: _kasho_v1_Datum});
  'old_values'?: ({[key: string]: _kasho_v1_Datum});
  'unchanged_toast'?: (string)[];
  'replica_identity'?: (string);
  'has_new'?: (boolean);
  'has_old'?: (boolean);
  'relation_id'?: (string);
}

export interface RowChange__Output {
  'kind': (_kasho_v1_RowChange_Kind__Output);
  'schema': (string);
  'table': (string);
  'columns': (_kasho_v1_Column__Output)[];
  'new_values': ({[key: string]: _kasho_v1_Datum__Output});
  'old_values': ({[key: string]: _kasho_v1_Datum__Output});
  'unchanged_toast': (string)[];
  'replica_identity': (string);
  'has_new': (boolean);
  'has_old': (boolean);
  'relation_id': (string);
}
