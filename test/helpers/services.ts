// The one rule for the real services the system tests start (redis-server, OpenSSH sshd, Chromium): present → used;
// absent on a developer's machine → the suite is skipped with one line naming the package, and the run ends with a
// summary of what was skipped; absent with CI=true → a failure (.ci/run installs them, so a skip would hide tests).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export type Service = 'redis-server' | 'sshd' | 'chromium';

/** How each service is found and which Debian package installs it. */
const SERVICES: Readonly<Record<Service, { probe: () => boolean; install: string }>> = {
  'redis-server': {
    probe: () => {
      const r = spawnSync(process.env.REDIS_SERVER_BIN || 'redis-server', ['--version'], { encoding: 'utf8', timeout: 10_000 });
      return !r.error && r.status === 0;
    },
    install: 'apt-get install -y redis-server',
  },
  sshd: { probe: () => existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/ssh-keygen'), install: 'apt-get install -y openssh-server' },
  chromium: { probe: () => existsSync('/usr/bin/chromium'), install: 'apt-get install -y chromium' },
};

const known = new Map<Service, boolean>();

/**
 * Whether `service` is here. Use it as `describe.skipIf(!requireService('sshd'))`. Absent: with CI=true it throws (the
 * file fails); otherwise one line on stderr says what is skipped and how to install it, and the skip is recorded for
 * the summary printed at the end of the run (test/setup/services-global.ts).
 */
export function requireService(service: Service, what = 'these tests'): boolean {
  let present = known.get(service);
  if (present === undefined) known.set(service, (present = SERVICES[service].probe()));
  if (present) return true;
  const line = `${service} is not installed: ${what} are skipped (install it: ${SERVICES[service].install})`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${line.replace('are skipped', 'cannot run')}; CI must run them`);
  console.warn(`SKIPPED: ${line}`);
  const dir = process.env.AMS_SKIPS_DIR;
  if (dir) appendFileSync(join(dir, `${process.pid}.txt`), `${line}\n`);
  return false;
}
