export * from './change';
export * from './position';
export * from './lsn';
export * from './grpc-options';
export * from './grpc-health';
export * from './wire/change-stream.wire';
/** The loaded kasho.proto package (`loadPackageDefinition(...)`), with its typed client constructors. */
export type { ProtoGrpcType as KashoGrpcPackage } from './wire/generated/kasho';
export { toWireBatch, fromWireBatch, toWireChange, fromWireChange } from './wire/change.mapper';
export * from './snapshot';
export * from './wire/snapshot.wire';
export { toWireSnapshotPlan, fromWireSnapshotPlan, toWireSequence, fromWireSequence, toWireCopyFormat, fromWireCopyFormat } from './wire/snapshot.mapper';
export * from './grpc-auth';
export * from './grpc-tls';
export { changeSize, envelopesSize, splitBySize } from './change-size';
