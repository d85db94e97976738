/**
 * A 128-bit key for cache entries, from short strings (file paths, a
 * config's or a migration's text, compiler options), as 32 hex digits.
 * Every graph command keys its header cache and its compiled config with
 * it, and loading `node:crypto` for a SHA-256 cost each command more (about
 * 20 million instructions, 4-6 ms) than hashing those texts. Batches of
 * migrations, megabytes of text, keep SHA-256 (native hashing is several
 * times faster at that size). This is not a cryptographic hash: it tells
 * apart texts that differ by accident (an edit, another path), which is
 * all a cache folder only its owner can write needs. Four independent
 * 32-bit lanes, each with its own multiplier and rotation, take every
 * UTF-16 code unit; each part is preceded by its length, so the parts
 * `["ab", "c"]` and `["a", "bc"]` differ; a final avalanche mixes the lanes.
 *
 * ```ts
 * contentKey([FORMAT, path, text]); // "5f0c…" (32 hex digits)
 * ```
 */
export function contentKey(parts: readonly string[]): string {
  let a = 0x243f6a88;
  let b = 0x85a308d3;
  let c = 0x13198a2e;
  let d = 0x03707344;
  for (const part of parts) {
    const length = part.length;
    // The length first, as two 16-bit units.
    for (let i = -2; i < length; i++) {
      const unit = i === -2 ? length >>> 16 : i === -1 ? length & 0xffff : part.charCodeAt(i);
      a = Math.imul(a ^ unit, 0x01000193);
      b = Math.imul(rotate(b, 5) ^ unit, 0x5bd1e995);
      c = Math.imul(c + unit, 0x9e3779b1);
      c = rotate(c, 13);
      d = Math.imul(d ^ unit, 0x85ebca77) ^ (d >>> 15);
    }
  }
  // Each lane takes the others before its avalanche, so a difference seen by any lane reaches all four.
  a = (a + b + c + d) | 0;
  b = (b + a) | 0;
  c = (c + a) | 0;
  d = (d + a) | 0;
  return hex(avalanche(a)) + hex(avalanche(b)) + hex(avalanche(c)) + hex(avalanche(d));
}

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
function avalanche(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(value: number): string {
  return value.toString(16).padStart(8, "0");
}
