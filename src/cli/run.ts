// Dispatches `ams-cashier <command>` and turns every error into a message and an exit code (never a stack trace).
import { withSuggestion } from '../internal/suggest';
import { VERSION } from '../version';
import { describeFailure, envelope, type CliErrorInfo } from './envelope';
import { CliFailure, CliUsageError, EXIT, type CliIo, type ExitCode } from './io';

export const MAIN_HELP = `Usage: ams-cashier <command> [options]

Commands:
  check <config.json|yaml>   check currencies, keys and client id / sandbox / region before go-live
  doctor                     prove the credentials against the gateway with one read-only inquiry
  sign                       show the exact signed content, the Signature header and a curl command
  verify                     check a signature and find why it does not verify
  keys generate --out DIR    write a new RSA-2048 pair in the formats Alipay's portal takes
  keys inspect <file>        tell what a key file is (no key material printed)
  inbox stats --redis URL    counts of the notification inbox queue (ams-cashier/bullmq)
  reconcile <dir|files…>     check settlement reports against each other and your ledger
  notify-test --url URL      prove your notification endpoint with the notifications Antom sends

Run ams-cashier <command> --help for the options and an example; ams-cashier --version (-v) prints the version.
Exit codes: 0 ok / all checks pass / valid, 1 a check or verification fails, 2 unusable input,
70 a bug in ams-cashier (please report it).
`;

interface Command {
  run(argv: string[], io: CliIo): Promise<ExitCode>;
  help: string;
}

/**
 * Each command's module, loaded only when that command runs: `--help`, `--version` and `sign` never load the YAML
 * and CSV parsers, the Redis and BullMQ clients, or the doctor, reconcile and inbox code.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => import('./check').then((m) => ({ run: m.runCheck, help: m.CHECK_HELP })),
  doctor: async () => import('./doctor').then((m) => ({ run: m.runDoctor, help: m.DOCTOR_HELP })),
  sign: async () => import('./sign').then((m) => ({ run: m.runSign, help: m.SIGN_HELP })),
  verify: async () => import('./verify').then((m) => ({ run: m.runVerify, help: m.VERIFY_HELP })),
  keys: async () => import('./keys').then((m) => ({ run: m.runKeys, help: m.KEYS_HELP })),
  inbox: async () => import('./inbox').then((m) => ({ run: m.runInbox, help: m.INBOX_HELP })),
  reconcile: async () => import('./reconcile').then((m) => ({ run: m.runReconcile, help: m.RECONCILE_HELP })),
  'notify-test': async () => import('./notify-test').then((m) => ({ run: m.runNotifyTest, help: m.NOTIFY_TEST_HELP })),
};

/** Commands whose first argument is a subcommand: their JSON answers name both (`keys generate`). */
const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = { keys: ['generate', 'inspect'], inbox: ['stats'] };

/** The command as the JSON answer names it: `check`, `keys inspect`, `inbox stats`. */
export function commandLabel(command: string, rest: readonly string[]): string {
  const sub = rest[0];
  return sub !== undefined && SUBCOMMANDS[command]?.includes(sub) ? `${command} ${sub}` : command;
}

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(MAIN_HELP);
    return EXIT.USAGE;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    io.out(topic ? (await topic()).help : MAIN_HELP);
    return EXIT.OK;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.out(VERSION);
    return EXIT.OK;
  }
  // With --json every outcome is one JSON object on stdout, unusable input and bugs included: never prose.
  const wantsJson = rest.includes('--json');
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    const message = `unknown command ${withSuggestion(command.slice(0, 40), Object.keys(COMMANDS))}`;
    if (wantsJson) {
      io.out(
        envelope(
          command.slice(0, 40),
          false,
          {},
          { code: 'UNKNOWN_COMMAND', message, fix: `Commands: ${Object.keys(COMMANDS).join(', ')}.` },
        ),
      );
      return EXIT.USAGE;
    }
    io.err(`ams-cashier: ${message}\n\n${MAIN_HELP}`);
    return EXIT.USAGE;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (err) {
    const { exit, error } = describeFailure(err, command);
    if (wantsJson) io.out(envelope(commandLabel(command, rest), false, {}, error));
    else report(err, error, command, io);
    return exit;
  }
}

/** The text mode's answer to a failure: the message on stderr, never a stack trace. */
function report(err: unknown, error: CliErrorInfo, command: string, io: CliIo): void {
  const prefix = `ams-cashier ${command}`;
  if (err instanceof CliUsageError) io.err(`${prefix}: ${err.message}\nRun ams-cashier ${err.command ?? command} --help for usage.`);
  else if (err instanceof CliFailure) io.err(`${prefix}: ${err.message}\n${err.fix}`);
  else io.err(`${prefix}: ${error.message}`);
}
