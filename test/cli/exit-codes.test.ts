import { EXIT, buildProgram } from '../../lib/cli';
import { COMMAND_NAMES, EXIT as EXIT_FROM_MODULE, exitCodesOf, isCommandName } from '../../lib/cli/exit-codes';
import { harness } from './support/cli-harness';

describe('exit codes', () => {
  test('the table names exactly the program\'s commands, in its order', () => {
    // GIVEN
    const h = harness();

    // WHEN
    const program = buildProgram(h.ctx, () => undefined);

    // THEN
    expect(program.commands.map((c) => c.name())).toStrictEqual([...COMMAND_NAMES]);
  });

  test('context.ts re-exports the same EXIT', () => {
    expect(EXIT).toBe(EXIT_FROM_MODULE);
  });

  test('a command\'s own codes and the common ones merge into one entry per code, ascending', () => {
    expect(exitCodesOf('check')).toStrictEqual([
      { code: 0, meaning: 'no drift' },
      { code: 1, meaning: 'drift' },
      { code: 2, meaning: 'Vault unreachable, access denied, no such mount, no Vault address or token, or an unreadable `VAULT_CACERT`, or a usage error (unknown command or option, missing argument) or an invalid catalog' },
      { code: 70, meaning: 'a bug (an internal error, printed with its stack)' },
    ]);
    expect(exitCodesOf('rebuild')).toStrictEqual([
      { code: 0, meaning: 'printed' },
      { code: 2, meaning: 'a usage error (unknown command or option, missing argument) or an invalid catalog' },
      { code: 70, meaning: 'a bug (an internal error, printed with its stack)' },
    ]);
  });

  test.each([['rotate', true], ['force-sync', true], ['help', false], ['Rotate', false]])('isCommandName(%j) is %j', (name, expected) => {
    expect(isCommandName(name as string)).toBe(expected);
  });
});
