// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AckRequest as _kasho_v1_AckRequest, AckRequest__Output as _kasho_v1_AckRequest__Output } from './kasho/v1/AckRequest';
import type { AckResponse as _kasho_v1_AckResponse, AckResponse__Output as _kasho_v1_AckResponse__Output } from './kasho/v1/AckResponse';
import type { BlockRange as _kasho_v1_BlockRange, BlockRange__Output as _kasho_v1_BlockRange__Output } from './kasho/v1/BlockRange';
import type { Change as _kasho_v1_Change, Change__Output as _kasho_v1_Change__Output } from './kasho/v1/Change';
import type { ChangeBatch as _kasho_v1_ChangeBatch, ChangeBatch__Output as _kasho_v1_ChangeBatch__Output } from './kasho/v1/ChangeBatch';
import type { ChangeStreamClient as _kasho_v1_ChangeStreamClient, ChangeStreamDefinition as _kasho_v1_ChangeStreamDefinition } from './kasho/v1/ChangeStream';
import type { Column as _kasho_v1_Column, Column__Output as _kasho_v1_Column__Output } from './kasho/v1/Column';
import type { CommitChange as _kasho_v1_CommitChange, CommitChange__Output as _kasho_v1_CommitChange__Output } from './kasho/v1/CommitChange';
import type { CopyChunk as _kasho_v1_CopyChunk, CopyChunk__Output as _kasho_v1_CopyChunk__Output } from './kasho/v1/CopyChunk';
import type { CopyRangeRequest as _kasho_v1_CopyRangeRequest, CopyRangeRequest__Output as _kasho_v1_CopyRangeRequest__Output } from './kasho/v1/CopyRangeRequest';
import type { Datum as _kasho_v1_Datum, Datum__Output as _kasho_v1_Datum__Output } from './kasho/v1/Datum';
import type { DdlChange as _kasho_v1_DdlChange, DdlChange__Output as _kasho_v1_DdlChange__Output } from './kasho/v1/DdlChange';
import type { Empty as _kasho_v1_Empty, Empty__Output as _kasho_v1_Empty__Output } from './kasho/v1/Empty';
import type { FinishSnapshotRequest as _kasho_v1_FinishSnapshotRequest, FinishSnapshotRequest__Output as _kasho_v1_FinishSnapshotRequest__Output } from './kasho/v1/FinishSnapshotRequest';
import type { ForeignKey as _kasho_v1_ForeignKey, ForeignKey__Output as _kasho_v1_ForeignKey__Output } from './kasho/v1/ForeignKey';
import type { PrepareSnapshotRequest as _kasho_v1_PrepareSnapshotRequest, PrepareSnapshotRequest__Output as _kasho_v1_PrepareSnapshotRequest__Output } from './kasho/v1/PrepareSnapshotRequest';
import type { Relation as _kasho_v1_Relation, Relation__Output as _kasho_v1_Relation__Output } from './kasho/v1/Relation';
import type { RelationRef as _kasho_v1_RelationRef, RelationRef__Output as _kasho_v1_RelationRef__Output } from './kasho/v1/RelationRef';
import type { RowChange as _kasho_v1_RowChange, RowChange__Output as _kasho_v1_RowChange__Output } from './kasho/v1/RowChange';
import type { SequenceList as _kasho_v1_SequenceList, SequenceList__Output as _kasho_v1_SequenceList__Output } from './kasho/v1/SequenceList';
import type { SequenceValue as _kasho_v1_SequenceValue, SequenceValue__Output as _kasho_v1_SequenceValue__Output } from './kasho/v1/SequenceValue';
import type { SnapshotClient as _kasho_v1_SnapshotClient, SnapshotDefinition as _kasho_v1_SnapshotDefinition } from './kasho/v1/Snapshot';
import type { SnapshotPlan as _kasho_v1_SnapshotPlan, SnapshotPlan__Output as _kasho_v1_SnapshotPlan__Output } from './kasho/v1/SnapshotPlan';
import type { SnapshotTable as _kasho_v1_SnapshotTable, SnapshotTable__Output as _kasho_v1_SnapshotTable__Output } from './kasho/v1/SnapshotTable';
import type { StreamRequest as _kasho_v1_StreamRequest, StreamRequest__Output as _kasho_v1_StreamRequest__Output } from './kasho/v1/StreamRequest';
import type { TruncateChange as _kasho_v1_TruncateChange, TruncateChange__Output as _kasho_v1_TruncateChange__Output } from './kasho/v1/TruncateChange';
import type { UniqueIndex as _kasho_v1_UniqueIndex, UniqueIndex__Output as _kasho_v1_UniqueIndex__Output } from './kasho/v1/UniqueIndex';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kasho: {
    v1: {
      AckRequest: MessageTypeDefinition<_kasho_v1_AckRequest, _kasho_v1_AckRequest__Output>
      AckResponse: MessageTypeDefinition<_kasho_v1_AckResponse, _kasho_v1_AckResponse__Output>
      BlockRange: MessageTypeDefinition<_kasho_v1_BlockRange, _kasho_v1_BlockRange__Output>
      Change: MessageTypeDefinition<_kasho_v1_Change, _kasho_v1_Change__Output>
      ChangeBatch: MessageTypeDefinition<_kasho_v1_ChangeBatch, _kasho_v1_ChangeBatch__Output>
      ChangeStream: SubtypeConstructor<typeof grpc.Client, _kasho_v1_ChangeStreamClient> & { service: _kasho_v1_ChangeStreamDefinition }
      Column: MessageTypeDefinition<_kasho_v1_Column, _kasho_v1_Column__Output>
      CommitChange: MessageTypeDefinition<_kasho_v1_CommitChange, _kasho_v1_CommitChange__Output>
      CopyChunk: MessageTypeDefinition<_kasho_v1_CopyChunk, _kasho_v1_CopyChunk__Output>
      CopyFormat: EnumTypeDefinition
      CopyRangeRequest: MessageTypeDefinition<_kasho_v1_CopyRangeRequest, _kasho_v1_CopyRangeRequest__Output>
      Datum: MessageTypeDefinition<_kasho_v1_Datum, _kasho_v1_Datum__Output>
      DdlChange: MessageTypeDefinition<_kasho_v1_DdlChange, _kasho_v1_DdlChange__Output>
      Empty: MessageTypeDefinition<_kasho_v1_Empty, _kasho_v1_Empty__Output>
      FinishSnapshotRequest: MessageTypeDefinition<_kasho_v1_FinishSnapshotRequest, _kasho_v1_FinishSnapshotRequest__Output>
      ForeignKey: MessageTypeDefinition<_kasho_v1_ForeignKey, _kasho_v1_ForeignKey__Output>
      PrepareSnapshotRequest: MessageTypeDefinition<_kasho_v1_PrepareSnapshotRequest, _kasho_v1_PrepareSnapshotRequest__Output>
      Relation: MessageTypeDefinition<_kasho_v1_Relation, _kasho_v1_Relation__Output>
      RelationRef: MessageTypeDefinition<_kasho_v1_RelationRef, _kasho_v1_RelationRef__Output>
      RowChange: MessageTypeDefinition<_kasho_v1_RowChange, _kasho_v1_RowChange__Output>
      SequenceList: MessageTypeDefinition<_kasho_v1_SequenceList, _kasho_v1_SequenceList__Output>
      SequenceValue: MessageTypeDefinition<_kasho_v1_SequenceValue, _kasho_v1_SequenceValue__Output>
      Snapshot: SubtypeConstructor<typeof grpc.Client, _kasho_v1_SnapshotClient> & { service: _kasho_v1_SnapshotDefinition }
      SnapshotPlan: MessageTypeDefinition<_kasho_v1_SnapshotPlan, _kasho_v1_SnapshotPlan__Output>
      SnapshotTable: MessageTypeDefinition<_kasho_v1_SnapshotTable, _kasho_v1_SnapshotTable__Output>
      StreamRequest: MessageTypeDefinition<_kasho_v1_StreamRequest, _kasho_v1_StreamRequest__Output>
      TruncateChange: MessageTypeDefinition<_kasho_v1_TruncateChange, _kasho_v1_TruncateChange__Output>
      UniqueIndex: MessageTypeDefinition<_kasho_v1_UniqueIndex, _kasho_v1_UniqueIndex__Output>
    }
  }
}

