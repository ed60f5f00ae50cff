// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { SequenceValue as _kasho_v1_SequenceValue, SequenceValue__Output as _kasho_v1_SequenceValue__Output } from '../../kasho/v1/SequenceValue';

export interface SequenceList {
  'sequences'?: (_kasho_v1_SequenceValue)[];
}

export interface SequenceList__Output {
  'sequences': (_kasho_v1_SequenceValue__Output)[];
}
