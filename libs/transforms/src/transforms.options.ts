export interface TransformsOptions {
  /** Path to transforms.yml. */
  file: string;
  /** TRANSFORMS_SECRET: the HMAC key of every fake. Without it, a fixed public key is used and a warning is logged. */
  secret?: string;
}
