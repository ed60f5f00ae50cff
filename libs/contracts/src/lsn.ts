/**
 * PostgreSQL LSNs ("16/B374D848") as exact unsigned 64-bit integers.
 * Never use JS numbers for LSNs: they lose precision past 2^53.
 */
const MAX_U64 = (1n << 64n) - 1n;

export function lsnToBigInt(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`invalid LSN "${lsn}": expected the form XXXXXXXX/XXXXXXXX`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function bigIntToLsn(value: bigint): string {
  if (value < 0n || value > MAX_U64) throw new Error(`LSN out of range: ${value}`);
  const hi = (value >> 32n).toString(16).toUpperCase();
  const lo = (value & 0xffffffffn).toString(16).toUpperCase();
  return `${hi}/${lo}`;
}
