#!/usr/bin/env node
// The `ams-cashier` bin: hands argv to the dispatcher and exits with its code.
import { EXIT, processIo } from './io';
import { runCli } from './run';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // The dispatcher itself failed: a bug by definition.
    process.stderr.write('ams-cashier: unexpected error; please report it with the command you ran (without keys)\n');
    process.exitCode = EXIT.INTERNAL;
  },
);
