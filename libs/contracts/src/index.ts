export * from './change';
export * from './position';
export * from './lsn';
export * from './grpc-options';
export * from './wire/change-stream.wire';
export { toWireBatch, fromWireBatch, toWireChange, fromWireChange } from './wire/change.mapper';
export * from './snapshot';
export * from './wire/snapshot.wire';
export { toWireSnapshotPlan, fromWireSnapshotPlan, toWireSequence, fromWireSequence } from './wire/snapshot.mapper';
