/**
 * TypeScript shapes of the kasho.v1.Snapshot messages as @grpc/proto-loader produces them with
 * KASHO_PROTO_LOADER_OPTIONS (keepCase, longs as strings). Must match libs/contracts/src/proto/kasho.proto.
 */
import type { WireColumn } from './change-stream.wire';

export const SNAPSHOT_SERVICE_NAME = 'Snapshot';

export type WireEmpty = Record<string, never>;

export interface WirePrepareSnapshotRequest {
  table: string;
  resume_snapshot_id: string;
  workers: number;
  target_id?: string;
}

export interface WireBlockRange {
  start_block: string;
  end_block: string;
}

export interface WireSnapshotTable {
  schema: string;
  table: string;
  columns: WireColumn[];
  estimated_rows: string;
  estimated_bytes: string;
  ranges: WireBlockRange[];
  post_data_sql?: string;
}

export interface WireSequenceValue {
  schema: string;
  name: string;
  last_value: string;
  is_called: boolean;
  increment: string;
}

export interface WireSnapshotPlan {
  snapshot_id: string;
  consistent_lsn: string;
  pre_data_sql: string;
  post_data_sql: string;
  tables: WireSnapshotTable[];
  sequences: WireSequenceValue[];
  resumed: boolean;
  source_version_num: number;
}

/** kasho.v1.CopyFormat by name (`enums: String`). */
export type WireCopyFormat = 'COPY_FORMAT_TEXT' | 'COPY_FORMAT_BINARY';

export interface WireCopyRangeRequest {
  snapshot_id: string;
  schema: string;
  table: string;
  start_block: string;
  end_block: string;
  format: WireCopyFormat;
}

export interface WireCopyChunk {
  data: Buffer;
  rows: string;
}

export interface WireFinishSnapshotRequest {
  snapshot_id: string;
}

export interface WireSequenceList {
  sequences: WireSequenceValue[];
}
