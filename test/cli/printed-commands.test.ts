// What the CLI prints and spawns, pasted and run against recording stand-ins: no value in any
// argv, printed text or file left behind (test/cli/support/printed-commands.ts). `npm run test:e2e`
// runs the same scenarios again with every execve traced by strace.
import { describePrintedCommands } from './support/printed-commands';

describePrintedCommands();
