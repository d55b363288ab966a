import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The first `limit` + 1 bytes of `file` at most: more than `limit` means the caller refuses it. A file's
 * size says nothing for a device or a pipe (/dev/zero is 0 bytes to stat and endless to read), so a
 * file a command is given (a CA certificate, Terraform's outputs, a token) is read in chunks up to its cap.
 */
export function readFileUpTo(file: string, limit: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
