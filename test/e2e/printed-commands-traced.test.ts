// The printed-commands scenarios of `npm test` (test/cli/support/printed-commands.ts), with every
// execve of every pasted command traced by strace: a value must not be in any argv there either,
// including programs run by absolute path, which the stand-ins on PATH cannot see. strace costs
// about 2 s of CPU here, which is why `npm test` runs these without it.
import { describePrintedCommands, findProgram } from '../cli/support/printed-commands';

const strace = findProgram('strace');
if (!strace && process.env.CI === 'true') throw new Error('CI needs strace for the traced printed-commands suite: apt-get install strace');

if (strace) {
  describePrintedCommands(strace);
} else {
  test.skip('strace is not installed: the printed commands are traced in CI only', () => undefined);
}
