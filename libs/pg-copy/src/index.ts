export { decodeTextField, encodeTextField, splitTextFields, textRowEnd, textRowsEnd, writeTextField } from './copy-text';
export { BINARY_TEXT_TYPE_OIDS, binaryFieldCount, binaryHeaderLength, isBinaryTrailer, readBinaryFields } from './copy-binary';
export { copyOptions } from './copy-options';
export { copyRowScanner } from './copy-row-scanner';
export type { CopyRowScanner } from './copy-row-scanner';
export { BINARY_ROWS, rowCodec, TEXT_ROWS } from './copy-row-codec';
export type { CopyRowCodec } from './copy-row-codec';
export { CopyOutputBuffer } from './copy-output-buffer';
