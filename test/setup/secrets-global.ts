// Suite-wide secrets check: after every test file has run, no private key material, no full signature and no
// Agent-Token may appear in anything the suite logged (test loggers and the console). Fails the run otherwise.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const keysDir = fileURLToPath(new URL('../vectors/keys/', import.meta.url));
/** Agent-Tokens the tests configure; none may ever be logged. */
const AGENT_TOKENS = ['agent-token-secret-123', 'agent-token-do-not-log-7f3a9', 'tok-secret-xyz'];

function privateKeyChunks(): string[] {
  const chunks: string[] = [];
  for (const file of readdirSync(keysDir).filter((f) => /private/.test(f) && /\.(pem|txt)$/.test(f))) {
    const body = readFileSync(join(keysDir, file), 'utf8')
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s+/g, '');
    for (let i = 0; i + 40 <= body.length; i += 40) chunks.push(body.slice(i, i + 40));
  }
  return chunks;
}

/** A whole RSA-2048 signature: 344 base64 characters, possibly URL-encoded, after `signature=`. */
const FULL_SIGNATURE = /signature=(?:[A-Za-z0-9+/=]|%2[BbFf]|%3[Dd]){300,}/;

export function setup(): void {
  process.env.AMS_SECRETS_SINK_DIR = mkdtempSync(join(tmpdir(), 'ams-secrets-'));
}

export function teardown(): void {
  const dir = process.env.AMS_SECRETS_SINK_DIR;
  if (!dir) return;
  const chunks = privateKeyChunks();
  const problems: string[] = [];
  let lineCount = 0;
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      lineCount++;
      if (chunks.some((c) => line.includes(c))) problems.push(`private key material: ${line.slice(0, 120)}`);
      if (FULL_SIGNATURE.test(line)) problems.push(`a full signature: ${line.slice(0, 120)}`);
      for (const token of AGENT_TOKENS) if (line.includes(token)) problems.push(`an Agent-Token: ${line.slice(0, 120)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (problems.length > 0) {
    // vitest reports an error thrown here but keeps its exit code; set ours so the run fails.
    process.exitCode = 1;
    throw new Error(`Secrets reached the suite's logs (${problems.length}):\n${problems.slice(0, 10).join('\n')}`);
  }
  console.log(`secrets check: ${lineCount} logged lines, no private key, full signature or Agent-Token`);
}
