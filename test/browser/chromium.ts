// The browser tests' Chromium: Debian's package, launched headless; missing on a developer machine → a loud skip,
// missing with CI=true → a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
/** Whether a browser test file skips: only off CI, and only when Chromium is missing. */
export const skipBrowser = !chromiumAvailable && !inCi;

if (skipBrowser)
  console.warn(`!! BROWSER TEST SKIPPED: ${CHROMIUM} does not exist: apt-get install -y chromium (with CI=true it fails instead)`);

/** Launches the headless browser; with CI=true and no Chromium, fails naming the package. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable)
    throw new Error(`CI=true and ${CHROMIUM} does not exist: the browser tests must run in CI (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
