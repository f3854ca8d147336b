// Test helper: a loopback TCP proxy in front of a real redis-server that records each command and may rewrite some on the way.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Returns the command to send instead (same order on the connection, so its reply lands in the right place), or undefined. */
export type Rewrite = (args: string[]) => string[] | undefined;

export interface RespProxy {
  readonly port: number;
  /** Every command seen, in arrival order per connection: `[connection number, name, ...args]` (args cut to 80 chars). */
  readonly commands: string[][];
  close(): Promise<void>;
}

function encode(args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''), 'utf8');
}

/** One complete command from the front of `buf`: its arguments and length, or undefined when more bytes are needed. */
function parse(buf: Buffer): { args: string[] | undefined; raw: Buffer; used: number } | undefined {
  const lineEnd = (from: number): number => buf.indexOf('\r\n', from);
  if (buf.length === 0) return undefined;
  if (buf[0] !== 0x2a /* '*' */) {
    // An inline command (ioredis never sends one): passed on as it is.
    const end = lineEnd(0);
    return end === -1 ? undefined : { args: undefined, raw: buf.subarray(0, end + 2), used: end + 2 };
  }
  let end = lineEnd(0);
  if (end === -1) return undefined;
  const count = Number(buf.subarray(1, end).toString());
  let at = end + 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at >= buf.length) return undefined;
    end = lineEnd(at);
    if (end === -1) return undefined;
    const len = Number(buf.subarray(at + 1, end).toString());
    const start = end + 2;
    if (buf.length < start + len + 2) return undefined;
    args.push(buf.subarray(start, start + len).toString('utf8'));
    at = start + len + 2;
  }
  return { args, raw: buf.subarray(0, at), used: at };
}

/** Starts the proxy on a free 127.0.0.1 port. */
export async function startRespProxy(targetPort: number, rewrite: Rewrite = () => undefined): Promise<RespProxy> {
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    const id = String(++connections);
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let next = parse(pending); next; next = parse(pending)) {
        pending = pending.subarray(next.used);
        if (!next.args) {
          upstream.write(next.raw);
          continue;
        }
        commands.push([id, next.args[0]!.toUpperCase(), ...next.args.slice(1).map((a) => a.slice(0, 80))]);
        const instead = rewrite(next.args);
        upstream.write(instead ? encode(instead) : next.raw);
      }
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    commands,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
