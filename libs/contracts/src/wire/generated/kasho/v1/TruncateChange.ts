// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type { RelationRef as _kasho_v1_RelationRef, RelationRef__Output as _kasho_v1_RelationRef__Output } from '../../kasho/v1/RelationRef';

export interface TruncateChange {
  'relations'?: (_kasho_v1_RelationRef)[];
  'cascade'?: (boolean);
  'restart_identity'?: (boolean);
}

export interface TruncateChange__Output {
  'relations': (_kasho_v1_RelationRef__Output)[];
  'cascade': (boolean);
  'restart_identity': (boolean);
}
