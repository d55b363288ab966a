import { goTemplateRef } from '../../../lib/catalog';
import { quote, templateExpression } from '../../../lib/cli/import';

/** Evaluates generated code with `v` as the library's template references: what the catalog would store. */
function evaluate(code: string): string {
  const refs = new Proxy({}, { get: (_target, key) => goTemplateRef(String(key)) });
  return new Function('v', `return ${code};`)(refs) as string;
}

describe('templateExpression', () => {
  const provided = new Set(['user', 'password', 'db-name']);

  test.each([
    ['postgres://{{ .user }}:{{ .password }}@db:5432/app', '\'postgres://\' + v.user + \':\' + v.password + \'@db:5432/app\''],
    ['{{ index . "db-name" }}', 'v[\'db-name\']'],
    ['{{ .user }}', 'v.user'],
    // Not what the library writes for these keys, or not a provided key: kept as text, byte for byte.
    ['{{.user}}', '\'{{.user}}\''],
    ['{{ index . "user" }}', '\'{{ index . "user" }}\''],
    ['{{ .password | b64enc }}', '\'{{ .password | b64enc }}\''],
    ['{{ .other }}', '\'{{ .other }}\''],
    ['it\'s \\ {{ .user }}', '\'it\\\'s \\\\ \' + v.user'],
    ['a\r\n{{ .user }}', '\'a\\r\\n\' + v.user'],
  ])('%j becomes %s', (body, code) => {
    // WHEN
    const expression = templateExpression(body, provided);

    // THEN the code, and evaluated it gives the body back
    expect(expression.code).toBe(code);
    expect(evaluate(expression.code)).toBe(body);
  });

  test('a body of several lines is a template literal, with backticks, backslashes and ${ escaped', () => {
    // GIVEN
    const body = 'user = {{ .user }}\ncmd = `echo ${HOME}` \\n\n';

    // WHEN
    const expression = templateExpression(body, provided);

    // THEN
    expect(expression).toStrictEqual({ code: '`user = ${v.user}\ncmd = \\`echo \\${HOME}\\` \\\\n\n`', usesRefs: true });
    expect(evaluate(expression.code)).toBe(body);
  });
});

describe('quote', () => {
  test('escapes quotes, backslashes and control characters, so the literal is the text', () => {
    const text = 'a\'b\\c\n\t\u0001\u2028';
    expect(quote(text)).toBe('\'a\\\'b\\\\c\\n\\t\\u0001\\u2028\'');
    expect(evaluate(quote(text))).toBe(text);
  });
});
