// Values are bytes until they are known to be UTF-8 text. Vault keeps each value as a JSON string, so
// bytes that are not UTF-8 cannot be stored as they are: a lenient decoder would turn them into U+FFFD
// and report success. Every value read from stdin or a terminal is decoded here, strictly.
import { CliError } from './context';

/** Where bytes stop being UTF-8: the offset of the first byte that starts no valid character, and that byte. */
export interface Utf8Fault {
  readonly offset: number;
  readonly byte: number;
}

/** The length of the UTF-8 sequence `lead` starts, and the range its second byte must be in (RFC 3629). */
function sequence(lead: number): { readonly length: number; readonly min: number; readonly max: number } | undefined {
  if (lead <= 0x7f) return { length: 1, min: 0, max: 0 };
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, min: 0x80, max: 0xbf };
  if (lead === 0xe0) return { length: 3, min: 0xa0, max: 0xbf };
  if (lead === 0xed) return { length: 3, min: 0x80, max: 0x9f }; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, min: 0x80, max: 0xbf };
  if (lead === 0xf0) return { length: 4, min: 0x90, max: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, min: 0x80, max: 0xbf };
  if (lead === 0xf4) return { length: 4, min: 0x80, max: 0x8f }; // nothing above U+10FFFF
  return undefined;
}

/**
 * The first place `bytes` are not UTF-8, or undefined when all of them are: the byte that starts an
 * invalid, overlong, surrogate or cut-off sequence, or a continuation byte with no lead.
 */
export function utf8Fault(bytes: Uint8Array): Utf8Fault | undefined {
  for (let i = 0; i < bytes.length;) {
    const seq = sequence(bytes[i]);
    if (seq === undefined) return { offset: i, byte: bytes[i] };
    for (let k = 1; k < seq.length; k++) {
      const [min, max] = k === 1 ? [seq.min, seq.max] : [0x80, 0xbf];
      const next = bytes[i + k];
      if (next === undefined || next < min || next > max) return { offset: i, byte: bytes[i] };
    }
    i += seq.length;
  }
  return undefined;
}

/** `byte 0xff at offset 3` */
export function describeUtf8Fault(fault: Utf8Fault): string {
  return `byte 0x${fault.byte.toString(16).padStart(2, '0')} at offset ${fault.offset}`;
}

/**
 * A line typed at a hidden prompt that is not UTF-8 text, refused by the terminal reader. The reader
 * does not know what the line is for: the command that asked names the key with
 * {@link typedValueNotUtf8}.
 */
export class TypedNotUtf8Error extends CliError {
  constructor(public readonly fault: Utf8Fault) {
    super(`what was typed is not UTF-8 text (${describeUtf8Fault(fault)}): set the terminal to UTF-8; nothing was changed`);
  }
}

/** `the value of KEY (typed at the prompt) is not UTF-8 text (byte 0xe9 at offset 3 of the value): set the terminal to UTF-8` */
export function typedValueNotUtf8(key: string, fault: Utf8Fault): string {
  return `the value of ${key} (typed at the prompt) is not UTF-8 text (${describeUtf8Fault(fault)} of the value): set the terminal to UTF-8`;
}

/** A byte-order mark: an editor's marker of the encoding, which would become the value's first character. */
export const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Whether `bytes` start with {@link UTF8_BOM}. */
export function startsWithBom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

const DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `bytes` as text, exactly (a byte-order mark is kept as U+FEFF); call on bytes {@link utf8Fault} accepts. */
export function decodeUtf8(bytes: Uint8Array): string {
  return DECODER.decode(bytes);
}

/** All of stdin as text for the commands that read documents (kms-secret, import): UTF-8, or a CliError. */
export function stdinText(bytes: Uint8Array): string {
  const fault = utf8Fault(bytes);
  if (fault) throw new CliError(`stdin is not UTF-8 text (${describeUtf8Fault(fault)})`);
  return decodeUtf8(bytes);
}
