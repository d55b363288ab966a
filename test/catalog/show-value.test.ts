import { SecretCatalog, oneLine, showText, showValue } from '../../lib/catalog';

class Token {
  constructor(public readonly id = 'x') {}
}

describe('showValue: every value as it is, on one line, safely', () => {
  test('primitives JSON garbles or cannot print', () => {
    expect([Symbol('s'), Symbol(), NaN, Infinity, -Infinity, -0, 0, 10n, undefined, null, true, 1.5].map(showValue)).toStrictEqual([
      'Symbol(s)', 'Symbol()', 'NaN', 'Infinity', '-Infinity', '-0', '0', '10n', 'undefined', 'null', 'true', '1.5',
    ]);
  });

  test('strings are quoted, with control, format and separator characters and lone surrogates escaped', () => {
    expect(['a"b\\c', 'a\nb\tc\r', 'x\u0000y\u001b[2J', 'a\u2028b\u2029c', 'bidi\u202eevil', 'zero\u200bwidth', 'half\ud800', 'é😀'].map(showValue)).toStrictEqual([
      '"a\\"b\\\\c"', '"a\\nb\\tc\\r"', '"x\\u0000y\\u001b[2J"', '"a\\u2028b\\u2029c"', '"bidi\\u202eevil"', '"zero\\u200bwidth"', '"half\\ud800"', '"é😀"',
    ]);
  });

  test('a long text is cut after 200 characters, with an ellipsis and its length; up to 256 is shown whole', () => {
    expect(showValue('x'.repeat(256))).toBe(`"${'x'.repeat(256)}"`);
    expect(showValue('y'.repeat(300))).toBe(`"${'y'.repeat(200)}"… (300 characters)`);
    // never half a surrogate pair
    expect(showValue(`${'z'.repeat(199)}😀${'z'.repeat(100)}`)).toBe(`"${'z'.repeat(199)}"… (301 characters)`);
  });

  test('objects and arrays as data, class instances with their class, getters and Proxies never run', () => {
    const getter = Object.defineProperty({ a: 1 }, 'b', { get: () => { throw new Error('ran'); }, enumerable: true });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect([
      { a: [1, 'b'], c: undefined }, [undefined, , 3], new Token(), getter, new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }),
      Object.create({ deletionPolicy: 'Delete' }), { [Symbol('k')]: 1 }, cyclic, new Date(0), /a+/g, () => 1, { ['__proto__']: 'x', constructor: 'y' },
    ].map(showValue)).toStrictEqual([
      '{"a":[1,"b"],"c":undefined}', '[undefined,empty,3]', 'Token {"id":"x"}', '{"a":1,"b":a getter}', 'a Proxy',
      '{} inheriting {"deletionPolicy":"Delete"}', '{[Symbol(k)]:1}', '{"a":1,"self":(a cycle)}', 'Date 1970-01-01T00:00:00.000Z', 'RegExp "/a+/g"', 'a function',
      '{"__proto__":"x","constructor":"y"}',
    ]);
  });

  test('deep and wide values are cut', () => {
    expect(showValue({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{…}}}}');
    expect(showValue(Array.from({ length: 30 }, (_, i) => i))).toBe(`[${Array.from({ length: 20 }, (_, i) => i).join(',')},…]`);
  });

  test('showText keeps a name in a row unquoted, on one line, and cut when long; oneLine escapes only what breaks a line', () => {
    expect([showText('apps/db'), showText('a\nb'), showText(Symbol('n')), showText('n'.repeat(300))]).toStrictEqual([
      'apps/db', 'a\\nb', 'Symbol(n)', `${'n'.repeat(200)}… (300 characters)`,
    ]);
    expect(oneLine('say "hi"\u2028\\')).toBe('say "hi"\\u2028\\');
  });

  test('a catalog mistake about an odd value shows it as it is', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps', refreshInterval: NaN as never, reloaderMatch: 10n as never });
    catalog.path('apps/b', [Symbol('key') as never]).syncTo({ name: 'b', namespace: Symbol('ns') as never });
    expect(catalog.validate().map((issue) => issue.message)).toStrictEqual([
      'apps/b: key Symbol(key) must match ^[-._a-zA-Z0-9]+$',
      'apps/a → a in apps: refreshInterval NaN must be a Go duration such as "1h", "30m" or "1h0m0s", of at most 2562047h (Go\'s time.Duration overflows beyond)',
      'apps/a → a in apps: reloaderMatch 10n must be true or false',
      'apps/b → b in Symbol(ns): namespace Symbol(ns) must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
    ]);
  });
});
