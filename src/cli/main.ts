#!/usr/bin/env node
// The `ams-cashier` bin: hands argv to the dispatcher and exits with its code.
import { processIo } from './io';
import { runCli } from './run';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stderr.write('ams-cashier: unexpected error\n');
    process.exitCode = 2;
  },
);
