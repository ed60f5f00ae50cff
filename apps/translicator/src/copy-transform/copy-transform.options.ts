export interface CopyTransformOptions {
  /** transforms.yml: each worker thread loads it again (the main thread's TransformEngine has it already). */
  transformsFile: string;
  /** Its secret: keyed transforms give the same output on every thread. */
  transformsSecret?: string;
  /** Worker threads; 0 = one per CPU but one (at least 1, at most 4). */
  threads: number;
  /** Start loading the threads when the module initialises (false when no snapshot will run at start). */
  startOnInit: boolean;
}
