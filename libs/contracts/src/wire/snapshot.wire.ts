/**
 * The kasho.v1.Snapshot messages as @grpc/proto-loader delivers them under KASHO_PROTO_LOADER_OPTIONS:
 * the types generated from kasho.proto (./generated, `npm run gen:wire`), named as in
 * ./change-stream.wire.ts (`Wire<Message>` decoded, `Wire<Message>Input` as a sender may pass it).
 */
import type { BlockRange__Output } from './generated/kasho/v1/BlockRange';
import type { CopyChunk__Output } from './generated/kasho/v1/CopyChunk';
import type { CopyFormat__Output } from './generated/kasho/v1/CopyFormat';
import type { CopyRangeRequest, CopyRangeRequest__Output } from './generated/kasho/v1/CopyRangeRequest';
import type { Empty__Output } from './generated/kasho/v1/Empty';
import type { FinishSnapshotRequest, FinishSnapshotRequest__Output } from './generated/kasho/v1/FinishSnapshotRequest';
import type { PrepareSnapshotRequest, PrepareSnapshotRequest__Output } from './generated/kasho/v1/PrepareSnapshotRequest';
import type { SequenceList__Output } from './generated/kasho/v1/SequenceList';
import type { SequenceValue__Output } from './generated/kasho/v1/SequenceValue';
import type { SnapshotClient } from './generated/kasho/v1/Snapshot';
import type { SnapshotPlan__Output } from './generated/kasho/v1/SnapshotPlan';
import type { SnapshotTable__Output } from './generated/kasho/v1/SnapshotTable';

export const SNAPSHOT_SERVICE_NAME = 'Snapshot';

export type WireEmpty = Empty__Output;
export type WirePrepareSnapshotRequest = PrepareSnapshotRequest__Output;
export type WirePrepareSnapshotRequestInput = PrepareSnapshotRequest;
export type WireBlockRange = BlockRange__Output;
export type WireSnapshotTable = SnapshotTable__Output;
export type WireSequenceValue = SequenceValue__Output;
export type WireSnapshotPlan = SnapshotPlan__Output;
/** kasho.v1.CopyFormat by name (`enums: String`). */
export type WireCopyFormat = CopyFormat__Output;
export type WireCopyRangeRequest = CopyRangeRequest__Output;
export type WireCopyRangeRequestInput = CopyRangeRequest;
export type WireCopyChunk = CopyChunk__Output;
export type WireFinishSnapshotRequest = FinishSnapshotRequest__Output;
export type WireFinishSnapshotRequestInput = FinishSnapshotRequest;
export type WireSequenceList = SequenceList__Output;

/** The plain @grpc/grpc-js client of kasho.v1.Snapshot: its server streams are Node Readables. */
export type WireSnapshotClient = SnapshotClient;
