/**
 * Booting a TransformEngine in a spec, for every project. A separate entry point, not part of the
 * `@kasho/testing` barrel: the demo app imports that barrel at run time and must not load
 * TransformsModule or @nestjs/testing with it.
 */
export { TEST_SECRET, bootEngine, col, insert, transformOne, writeConfig } from './engine-fixture';
