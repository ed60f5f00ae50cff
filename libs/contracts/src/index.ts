export * from './change';
export * from './position';
export * from './lsn';
export * from './grpc-options';
