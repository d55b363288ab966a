import { SecretCatalog, describeGenerated, external, generated, generatedShape, summarizeGenerated } from '../../lib/catalog';

/** What a JavaScript caller can pass: no type checking at all. */
type Untyped = any;

function messages(declare: (catalog: Untyped) => void): string[] {
  const catalog = new SecretCatalog({ mount: 'kv' });
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

/** A path `apps/x` with keys a, b, c whose origins are `origins`, feeding one Secret. */
function withOrigins(origins: unknown): (catalog: Untyped) => void {
  return (c) => c.path('apps/x', ['a', 'b', 'c'], { origins }).syncTo({ name: 'x', namespace: 'apps' });
}

describe('value origins', () => {
  test('a path declares where each key\'s value comes from; keys without one have none', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'kv' });

    // WHEN
    const minio = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword', 'region'], {
      origins: {
        rootUser: external({ hint: 'your choice of user name' }),
        rootPassword: generated({ length: 32 }),
      },
    });
    minio.syncTo({ name: 'minio', namespace: 'backups' });

    // THEN
    expect(catalog.validate()).toStrictEqual([]);
    expect(minio.originOf('rootUser')).toStrictEqual({ kind: 'external', hint: 'your choice of user name' });
    expect(minio.originOf('rootPassword')).toStrictEqual({ kind: 'generated', length: 32 });
    expect(minio.originOf('region')).toBeUndefined();
    expect(minio.originOf('toString')).toBeUndefined();
  });

  test('an origin for an undeclared key, and a generated() mixing its forms, do not compile', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'kv' });

    // WHEN: each line below must fail to compile (tsc runs over test/ in `npm test`)
    // @ts-expect-error 'rootUsr' is not a declared key
    catalog.path('a/b', ['rootUser'], { origins: { rootUsr: generated({ length: 8 }) } });
    // @ts-expect-error charset and alphabet exclude each other
    generated({ length: 8, charset: 'alnum', alphabet: 'ab' });
    // @ts-expect-error bytes need an encoding
    generated({ bytes: 8 });
    // @ts-expect-error length and bytes exclude each other
    generated({ length: 8, bytes: 8, encoding: 'hex' });
    // @ts-expect-error not a charset
    generated({ length: 8, charset: 'ascii' });
    // @ts-expect-error external() needs a hint
    external({ url: 'https://example.org' });

    // THEN the lines still ran; the validator reports what JavaScript callers would get
    expect(catalog.validate().map((issue) => issue.message)).toStrictEqual([
      'a/b: origins "rootUsr" names a key the path does not declare (declared: rootUser)',
      'a/b: targets [] must name at least one sync target: add one with syncTo(); or, if only operators and other tools read the path, declare it with { readBy: "operators" }; or remove the path',
    ]);
  });

  test('every broken rule of every origin is reported at once, with row, field, value and rule', () => {
    expect(messages(withOrigins({ a: generated({ length: 0 } as Untyped), b: generated({ length: 2.5, charset: 'ascii' } as Untyped), c: external({ hint: ' ' }), d: external({ hint: 'x' }) }))).toStrictEqual([
      'apps/x: origins.a.length 0 must be a whole number from 1 to 4096',
      'apps/x: origins.b.length 2.5 must be a whole number from 1 to 4096',
      'apps/x: origins.b.charset "ascii" must be one of "alnum", "lower-alnum", "digits", or give an alphabet instead',
      'apps/x: origins.c.hint " " must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
      'apps/x: origins "d" names a key the path does not declare (declared: a, b, c)',
    ]);
  });

  test('lengths and byte counts: negative, too large, not a number', () => {
    expect(messages(withOrigins({ a: generated({ length: -1 }), b: generated({ bytes: 4097, encoding: 'hex' }), c: generated({ length: '8' } as Untyped) }))).toStrictEqual([
      'apps/x: origins.a.length -1 must be a whole number from 1 to 4096',
      'apps/x: origins.b.bytes 4097 must be a whole number from 1 to 4096',
      'apps/x: origins.c.length "8" must be a whole number from 1 to 4096',
    ]);
  });

  test('alphabets: empty, a repeated character, a single character, a control character, both charset and alphabet', () => {
    expect(messages(withOrigins({
      a: generated({ length: 8, alphabet: '' }),
      b: generated({ length: 8, alphabet: 'abca' }),
      c: generated({ length: 8, alphabet: 'x' }),
    }))).toStrictEqual([
      'apps/x: origins.a.alphabet "" must hold at least 2 different characters',
      'apps/x: origins.b.alphabet "abca" must hold each character once ("a" repeats): a repeated character would be drawn more often than the others',
      'apps/x: origins.c.alphabet "x" must hold at least 2 different characters',
    ]);
    expect(messages(withOrigins({
      a: generated({ length: 8, alphabet: 'ab\n' }),
      b: generated({ length: 8, alphabet: 'ab', charset: 'alnum' } as Untyped),
      c: generated({ length: 8, alphabet: 7 } as Untyped),
    }))).toStrictEqual([
      'apps/x: origins.a.alphabet "ab\\n" must not contain control characters',
      'apps/x: origins.b.alphabet "ab" and charset exclude each other: give one of them',
      'apps/x: origins.c.alphabet 7 must be a string of the characters to draw from',
    ]);
    // Found by the sweep: a bidi override in an alphabet reached the docs as written, and a repeated one was quoted raw.
    expect(messages(withOrigins({
      a: generated({ length: 8, alphabet: 'ab\u202e' }),
      b: generated({ length: 8, alphabet: 'aébé' }),
    }))).toStrictEqual([
      'apps/x: origins.a.alphabet "ab\\u202e" must not contain invisible characters (bidi overrides, zero widths, line separators)',
      'apps/x: origins.b.alphabet "aébé" must hold each character once ("é" repeats): a repeated character would be drawn more often than the others',
    ]);
  });

  test('bytes: an unknown or missing encoding, mixed with characters, nothing given at all', () => {
    expect(messages(withOrigins({
      a: generated({ bytes: 16, encoding: 'base32' } as Untyped),
      b: generated({ bytes: 16 } as Untyped),
      c: generated({ length: 8, bytes: 16, encoding: 'hex' } as Untyped),
    }))).toStrictEqual([
      'apps/x: origins.a.encoding "base32" must be one of "hex", "base64", "base64url"',
      'apps/x: origins.b.encoding undefined must be one of "hex", "base64", "base64url"',
      'apps/x: origins.c "length" mixes characters (length, charset, alphabet) with bytes (bytes, encoding): give one or the other',
    ]);
    expect(messages(withOrigins({ a: generated({} as Untyped), b: generated(32 as Untyped) }))).toStrictEqual([
      'apps/x: origins.a.length undefined must be a whole number from 1 to 4096: generated() takes { length } (characters, with a charset or an alphabet) or { bytes, encoding }',
      'apps/x: origins.b.length undefined must be a whole number from 1 to 4096: generated() takes { length } (characters, with a charset or an alphabet) or { bytes, encoding }',
    ]);
  });

  test('unknown options, a hint with a line break, a url that is not https, and values that are no origin', () => {
    expect(messages(withOrigins({
      a: generated({ lenght: 8, length: 8 } as Untyped),
      b: external({ hint: 'Sonarr →\nSettings', url: 'http://sonarr.local', note: 'x' } as Untyped),
      c: { length: 8 },
    }))).toStrictEqual([
      'apps/x: option "lenght" is not an option of generated() of origins.a (known: length, charset, alphabet, bytes, encoding)',
      'apps/x: option "note" is not an option of external() of origins.b (known: hint, url)',
      'apps/x: origins.b.hint "Sonarr →\\nSettings" must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
      'apps/x: origins.b.url "http://sonarr.local" must be an https:// URL',
      'apps/x: origins.c {"length":8} must be generated({ ... }) or external({ hint })',
    ]);
    expect(messages(withOrigins({ a: external({ hint: 'x', url: 'https://example.org/\u001b[2J' }), b: external({ hint: 'x\u001b[31m' }) }))).toStrictEqual([
      'apps/x: origins.a.url "https://example.org/\\u001b[2J" must be an https:// URL, without control or invisible characters',
      'apps/x: origins.b.hint "x\\u001b[31m" must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
    ]);
    // Found by the sweep: a bidi override or a zero-width space reached the docs' table and seed's list as written.
    expect(messages(withOrigins({ a: external({ hint: 'Settings \u202eyek IPA' }), b: external({ hint: 'a\u200bb' }), c: external({ hint: 'a\u2028b' }) }))).toStrictEqual([
      'apps/x: origins.a.hint "Settings \\u202eyek IPA" must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
      'apps/x: origins.b.hint "a\\u200bb" must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
      'apps/x: origins.c.hint "a\\u2028b" must say where to get the value, as one line of visible text, without control characters, line separators, bidi overrides or zero-width characters',
    ]);
    expect(messages(withOrigins('generated'))).toStrictEqual([
      'apps/x: origins "generated" must be an object of declared key to generated() or external()',
    ]);
    expect(messages((c) => c.path('apps/x', ['a'], { origin: {} }).syncTo({ name: 'x', namespace: 'apps' }))).toStrictEqual([
      'apps/x: option "origin" is not an option of path() options (known: description, readBy, origins, identitiesRead)',
    ]);
  });

  test('the shape of each kind of generated value: its exact length and every character it can hold', () => {
    expect(generatedShape(generated({ length: 32 }))).toStrictEqual({ length: 32, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' });
    expect(generatedShape(generated({ length: 6, charset: 'digits' }))).toStrictEqual({ length: 6, alphabet: '0123456789' });
    expect(generatedShape(generated({ length: 12, charset: 'lower-alnum' }))).toStrictEqual({ length: 12, alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789' });
    expect(generatedShape(generated({ length: 5, alphabet: 'xyz!' }))).toStrictEqual({ length: 5, alphabet: 'xyz!' });
    expect(generatedShape(generated({ bytes: 32, encoding: 'hex' }))).toStrictEqual({ length: 64, alphabet: '0123456789abcdef' });
    expect(generatedShape(generated({ bytes: 60, encoding: 'base64' })).length).toBe(80);
    expect(generatedShape(generated({ bytes: 31, encoding: 'base64' }))).toStrictEqual({
      length: 44, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=',
    });
    expect(generatedShape(generated({ bytes: 32, encoding: 'base64url' }))).toStrictEqual({
      length: 43, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
    });
  });

  test('a generated value in a few words and in a sentence', () => {
    const cases = [generated({ length: 32 }), generated({ length: 6, charset: 'digits' }), generated({ length: 5, alphabet: 'xyz!' }), generated({ bytes: 32, encoding: 'hex' }), generated({ bytes: 60, encoding: 'base64' }), generated({ bytes: 32, encoding: 'base64url' })];
    expect(cases.map(summarizeGenerated)).toStrictEqual(['32, alnum', '6, digits', '5, own alphabet', '32 bytes, hex', '60 bytes, base64', '32 bytes, base64url']);
    expect(cases.map(describeGenerated)).toStrictEqual([
      '32 characters of A-Z, a-z, 0-9',
      '6 characters of 0-9',
      '5 characters of the alphabet "xyz!"',
      '32 random bytes as hex: 64 characters of 0-9a-f',
      '60 random bytes as base64: 80 characters of A-Z, a-z, 0-9, "+", "/", padded with "="',
      '32 random bytes as base64url: 43 characters of A-Z, a-z, 0-9, "-", "_", unpadded',
    ]);
  });
});
