// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface PrepareSnapshotRequest {
  'table'?: (string);
  'resume_snapshot_id'?: (string);
  'workers'?: (number);
  'target_id'?: (string);
}

export interface PrepareSnapshotRequest__Output {
  'table': (string);
  'resume_snapshot_id': (string);
  'workers': (number);
  'target_id': (string);
}
