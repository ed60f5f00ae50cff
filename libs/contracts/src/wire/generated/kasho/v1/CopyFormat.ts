// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

export const CopyFormat = {
  COPY_FORMAT_TEXT: 'COPY_FORMAT_TEXT',
  COPY_FORMAT_BINARY: 'COPY_FORMAT_BINARY',
} as const;

export type CopyFormat =
  | 'COPY_FORMAT_TEXT'
  | 0
  | 'COPY_FORMAT_BINARY'
  | 1

export type CopyFormat__Output = typeof CopyFormat[keyof typeof CopyFormat]
