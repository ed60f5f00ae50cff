// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Column as _kasho_v1_Column, Column__Output as _kasho_v1_Column__Output } from '../../kasho/v1/Column';

export interface Relation {
  'id'?: (string);
  'columns'?: (_kasho_v1_Column)[];
}

export interface Relation__Output {
  'id': (string);
  'columns': (_kasho_v1_Column__Output)[];
}
