import { RESERVED_NAMES, tsComment, tsPropertyAccess, tsPropertyKey, tsString, tsTemplateText, tsUniqueVariable, tsVariableName } from '../../../lib/cli/import';

/** Runs `body` as strict-mode code (a module is strict) and returns what it returns. */
function run(body: string, ...args: unknown[]): unknown {
  return new Function('v', `'use strict';\n${body}`)(...args);
}

/** Text that breaks naive quoting: quotes, backslashes, every line terminator, comment ends, controls, format characters, a lone surrogate. */
const HOSTILE = [
  'it\'s', 'a"b', 'back\\slash', '\\', 'line\nbreak', 'cr\rlf\r\n', 'ls\u2028ps\u2029', '*/ process.exit(1) /*', '`${x}`', '${', '\u0000nul',
  '\u001b[31mred', 'del\u007f', 'c1\u0085\u009b', 'rtl\u202eoverride', 'zw\u200bj\u200d', 'bom\ufeff', 'lone\ud800', 'lone\udfff end',
  'tag\u{e0041}', 'emoji 🎉 ok', 'café', '__proto__', 'constructor', '', ' ',
];

describe('tsString: the one quoting function of the generated module', () => {
  test.each(HOSTILE)('%j is one literal on one line whose value is exactly the text', (text) => {
    // WHEN
    const literal = tsString(text);

    // THEN
    expect(literal).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
    expect(run(`return ${literal};`)).toBe(text);
  });

  test('escapes what would end the line or hide itself, and keeps readable text as it is', () => {
    expect(tsString('a\'b\\c\n\t\u0001\u2028')).toBe('\'a\\\'b\\\\c\\n\\t\\u0001\\u2028\'');
    expect(tsString('rtl\u202e \u{e0041} \ud800')).toBe('\'rtl\\u202e \\u{e0041} \\ud800\'');
    expect(tsString('café 🎉 */')).toBe('\'café 🎉 */\'');
  });
});

describe('tsComment', () => {
  test.each(HOSTILE)('%j inside a line comment and a block comment never ends it', (text) => {
    // GIVEN code after each comment that returns 1: text that ended the comment early would run, or not compile
    const line = `// ${tsComment(text)}\nreturn 1;`;
    const block = `/* ${tsComment(text)} */ return 1;`;

    // THEN
    expect(tsComment(text)).not.toMatch(/[\n\r\u2028\u2029]|\*\//);
    expect(run(line)).toBe(1);
    expect(run(block)).toBe(1);
  });

  test('shows line terminators and comment ends as escapes', () => {
    expect(tsComment('a\nb\u2028c */ d \\n')).toBe('a\\nb\\u2028c *\\/ d \\\\n');
  });
});

describe('tsPropertyKey and tsPropertyAccess', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a-b', '0', 'x y', 'it\'s\n'])('%j is an own data property of the object literal', (key) => {
    // WHEN
    const object = run(`return { ${tsPropertyKey(key)}: 'value', other: 1 };`) as Record<string, unknown>;

    // THEN exactly two own keys, the prototype untouched
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toStrictEqual(key === '0' ? ['0', 'other'] : [key, 'other']);
    expect(Object.getOwnPropertyDescriptor(object, key)).toStrictEqual({ value: 'value', writable: true, enumerable: true, configurable: true });
  });

  test('__proto__ is a computed key: written bare or quoted, an object literal would set the prototype', () => {
    expect(tsPropertyKey('__proto__')).toBe('[\'__proto__\']');
    expect(Object.keys(run('return { \'__proto__\': { a: 1 } };') as object)).toStrictEqual([]);
  });

  test('a read of any key goes through the object, never around it', () => {
    const refs = new Proxy({}, { get: (_t, key) => `<${String(key)}>` });
    for (const key of ['user', '__proto__', 'a-b', 'x\ny', 'constructor']) expect(run(`return ${tsPropertyAccess('v', key)};`, refs)).toBe(`<${key}>`);
  });
});

describe('tsTemplateText', () => {
  test('escapes backticks, backslashes and ${, and refuses what a template literal cannot show as it is', () => {
    expect(tsTemplateText('a `b` \\ ${c}\nd')).toBe('a \\`b\\` \\\\ \\${c}\nd');
    expect(run(`return \`${tsTemplateText('a `b` \\ ${c}\nd')!}\`;`)).toBe('a `b` \\ ${c}\nd');
    for (const text of ['cr\r\n', 'tab\t', 'ls\u2028', 'esc\u001b', 'rtl\u202e']) expect(tsTemplateText(text)).toBeUndefined();
  });
});

describe('variable names', () => {
  test('never a reserved or strict-mode-forbidden word: each declares in strict mode', () => {
    // GIVEN every reserved name as the word a variable is made from
    const taken = new Set<string>();
    const names = [...RESERVED_NAMES].map((word) => tsUniqueVariable([tsVariableName([word], 'path')], taken));

    // THEN each is declared and read back in strict mode, and all differ
    for (const name of names) expect([name, run(`const ${name} = 1; return ${name};`)]).toStrictEqual([name, 1]);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([
    [['apps', 'eval'], 'path', 'appsEval'],
    [['eval'], 'path', 'evalPath'],
    [['arguments'], 'path', 'argumentsPath'],
    [['let'], 'identity', 'letIdentity'],
    [['await'], 'path', 'awaitPath'],
    [['9lives'], 'path', 'path9lives'],
    [['---'], 'path', 'path'],
    [['über-cool'], 'path', 'berCool'],
  ])('%j → %s', (words, fallback, name) => {
    expect(tsVariableName(words, fallback)).toBe(name);
  });

  test('the first free candidate wins; when none is free the last is numbered', () => {
    const taken = new Set(['eval', 'db']);
    expect(tsUniqueVariable(['eval', 'appsEval'], taken)).toBe('appsEval');
    expect(tsUniqueVariable(['db'], taken)).toBe('db2');
    expect(tsUniqueVariable(['db'], taken)).toBe('db3');
    expect([...taken]).toStrictEqual(['eval', 'db', 'appsEval', 'db2', 'db3']);
  });
});
