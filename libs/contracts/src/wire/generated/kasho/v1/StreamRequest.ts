// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface StreamRequest {
  'after_position'?: (string);
  'window'?: (number);
  'consumer_id'?: (string);
  'target_id'?: (string);
}

export interface StreamRequest__Output {
  'after_position': (string);
  'window': (number);
  'consumer_id': (string);
  'target_id': (string);
}
