// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { Change as _kasho_v1_Change, Change__Output as _kasho_v1_Change__Output } from '../../kasho/v1/Change';
import type { Relation as _kasho_v1_Relation, Relation__Output as _kasho_v1_Relation__Output } from '../../kasho/v1/Relation';

export interface ChangeBatch {
  'changes'?: (_kasho_v1_Change)[];
  'relations'?: (_kasho_v1_Relation)[];
}

export interface ChangeBatch__Output {
  'changes': (_kasho_v1_Change__Output)[];
  'relations': (_kasho_v1_Relation__Output)[];
}
