/** What capture needs of the configuration (the app maps its env onto this). */
export interface CaptureOptions {
  /** Backpressure (I5): WAL reading pauses while the buffer holds more changes than this beyond the applied position. */
  maxBufferedChanges: number;
  /** Backpressure (I5): WAL reading pauses while the buffer holds more bytes (changeSize) than this beyond the applied position. */
  maxBufferedBytes: number;
  /** The buffer's URL (KV_URL): Redis, named (password redacted) in the eviction policy check's messages, or memory://. */
  bufferUrl: string;
}
