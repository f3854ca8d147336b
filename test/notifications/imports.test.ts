// The notification side depends on the client only through NotificationClient: no module under it imports src/client.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testClient } from '../helpers/client';
import { NOTIFICATION_PARTY, partyOf } from '../../src/notifications/party';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const CLIENT = join(SRC, 'client');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative module specifier in a file: static imports and re-exports (type-only too) and dynamic import(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

function importsOfClient(file: string): string[] {
  return specifiers(readFileSync(file, 'utf8')).filter((s) => resolve(dirname(file), s).replace(/\.(ts|js)$/, '') === CLIENT);
}

describe('notifications and the inbox do not import the client', () => {
  it('finds the client import where there is one (the scan itself works)', () => {
    expect(importsOfClient(join(SRC, 'index.ts'))).not.toEqual([]);
    expect(specifiers("import type { A } from '../client';\nexport { b } from './b.js';\nconst m = await import('../client');")).toEqual([
      '../client',
      './b.js',
      '../client',
    ]);
  });

  it.each(['notifications', 'bullmq', 'redis'])('src/%s/** imports nothing from src/client.ts', (dir) => {
    const files = sources(join(SRC, dir));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((f) => importsOfClient(f).map((s) => `${relative(SRC, f)} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('an AmsClient is a NotificationClient: its party carries its id and keys, and signs without handing out the key', () => {
    const { client } = testClient();
    const party = partyOf(client);
    expect(party.clientId).toBe(client.clientId);
    expect(party.keyVersion).toBe(client.keyVersion);
    expect(party.alipayPublicKey.type).toBe('public');
    expect(typeof party.sign(Buffer.from('x'))).toBe('string');
    expect(Object.values(party).some((v) => (v as { type?: unknown } | null)?.type === 'private')).toBe(false);
    expect(Object.keys(client)).not.toContain(String(NOTIFICATION_PARTY));
  });
});
