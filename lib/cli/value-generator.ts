import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { CHARSETS, DEFAULT_CHARSET, type GeneratedValue } from '../catalog';

/** A source of cryptographically secure random bytes: node:crypto's randomBytes, or a test's. */
export type RandomBytes = (size: number) => Buffer;

/**
 * A uniformly distributed whole number from 0 to `n - 1` (2 ≤ n ≤ 2^48), by rejection sampling: draw
 * the fewest bytes that can express `n - 1`, and draw again when the number lands in the top part of the
 * range that `n` does not divide evenly. Taking `bytes % n` alone would favour the small numbers.
 */
export function uniformBelow(n: number, random: RandomBytes): number {
  let size = 1;
  while (256 ** size < n) size++;
  const range = 256 ** size;
  const limit = range - (range % n);
  for (;;) {
    const drawn = random(size).readUIntBE(0, size);
    if (drawn < limit) return drawn % n;
  }
}

/**
 * A new value of the shape `origin` declares, made in this process from a CSPRNG: `length` characters
 * each drawn uniformly from the alphabet (characters are Unicode code points, so an alphabet of any
 * script works), or `bytes` random bytes encoded. The value is only ever returned; nothing here keeps,
 * prints or logs it.
 */
export function generateValue(origin: GeneratedValue, random: RandomBytes = cryptoRandomBytes): string {
  if (origin.bytes !== undefined) return random(origin.bytes).toString(origin.encoding);
  const alphabet = [...(origin.alphabet ?? CHARSETS[origin.charset ?? DEFAULT_CHARSET])];
  let value = '';
  for (let i = 0; i < origin.length; i++) value += alphabet[uniformBelow(alphabet.length, random)];
  return value;
}
