// Per test file: records every console line and every test logger line, and hands them to the suite-wide secrets
// check in secrets-global.ts when the file ends.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll } from 'vitest';
import { loggedLines as lines } from './log-sink';

for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    lines.push(`console.${level} ${format(...args)}`);
    original(...args);
  };
}

afterAll(() => {
  const dir = process.env.AMS_SECRETS_SINK_DIR;
  if (dir && lines.length > 0) writeFileSync(join(dir, `${process.pid}-${randomUUID()}.log`), lines.join('\n'));
});
