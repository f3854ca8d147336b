// One SFTP session of fetchReports (ssh2-sftp-client, an optional peer loaded only here): the host key is checked before
// any login is sent, and every request is bounded, so a server that stops answering is cut off instead of waited for.
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type SftpClientType from 'ssh2-sftp-client';
import { AmsConfigError, AmsConnectionError, AmsTimeoutError } from '../errors';
import type { HostKeyPolicy } from './host-key';

export interface SftpLogin {
  host: string;
  port: number;
  username: string;
  password?: string | undefined;
  privateKey?: string | Buffer | undefined;
  passphrase?: string | undefined;
  /** The SSH handshake and login, up to the session being ready. */
  readyTimeoutMs: number;
  /** Each SFTP request after that (opening the subsystem, a look-up, a listing, closing). */
  idleTimeoutMs: number;
  hostKey: HostKeyPolicy;
}

/** An entry of a remote folder, as fetchReports reads it. */
export interface RemoteEntry {
  name: string;
  /** `-` a file, `d` a folder, `l` a link. */
  type: string;
  size: number;
  /** Milliseconds since the epoch (SFTP gives whole seconds); NaN when the server gave none. */
  modifyTime: number;
}

export interface SftpSession {
  /** Whether `path` is there (a folder, a file or a link). */
  exists(path: string): Promise<boolean>;
  list(path: string): Promise<RemoteEntry[]>;
  /**
   * Streams a remote file into `into`. Not bounded here: the caller's download guard bounds the wait for each chunk
   * and fails `into`, which fails this; the caller then calls cutOff().
   */
  download(remotePath: string, into: Writable): Promise<void>;
  /** Drops the connection at once (a server that stopped answering never closes it). */
  cutOff(): void;
  /** Ends the session; a warning when the server did not close it within idleTimeoutMs and it was cut off. */
  close(): Promise<string | undefined>;
}

type SftpClientCtor = new (
  name?: string,
  callbacks?: { error?: (err: Error) => void; end?: () => void; close?: () => void },
) => SftpClientType;

function loadClient(): SftpClientCtor {
  const require = createRequire(import.meta.url);
  try {
    return require('ssh2-sftp-client') as SftpClientCtor;
  } catch {
    throw new AmsConfigError('fetchReports needs the ssh2-sftp-client package: npm install ssh2-sftp-client', {
      field: 'ssh2-sftp-client',
    });
  }
}

/** ssh2's Client under ssh2-sftp-client: its socket is what a cut-off destroys. */
interface Ssh2Connection {
  destroy?: () => void;
  _sock?: { destroy?: () => void };
}

/** Connects, checks the host key, logs in and opens the SFTP subsystem. */
export async function openSftpSession(login: SftpLogin): Promise<SftpSession> {
  const Client = loadClient();
  // The client's default listeners print to the console when a connection ends or fails unexpectedly; here every
  // failure is already a typed error of the call that met it.
  const quiet = (): void => undefined;
  const sftp = new Client('ams-cashier', { error: quiet, end: quiet, close: quiet });
  const where = `SFTP ${login.host}:${login.port} as ${login.username}`;
  const idleMs = login.idleTimeoutMs;
  let cut = false;
  const cutOff = (): void => {
    cut = true;
    const connection = (sftp as unknown as { client?: Ssh2Connection }).client;
    connection?.destroy?.();
    // ssh2's destroy() skips a socket whose writing side has ended, as it has once end() was called: the socket would
    // then wait for the server's close for ever, holding the process open.
    connection?._sock?.destroy?.();
  };

  /** One request, answered within idleTimeoutMs or the session is cut off and the call fails with AmsTimeoutError. */
  const bounded = <T>(what: string, request: Promise<T>): Promise<T> => {
    // Abandoned on a timeout: it settles (or not) once the connection is gone, and nobody waits for it.
    request.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cutOff();
        reject(
          new AmsTimeoutError(`${where}: ${what} got no answer for ${idleMs} ms (idleTimeoutMs): the server stopped answering; cut off`),
        );
      }, idleMs);
    });
    const answered = request.catch((err: unknown) => {
      throw new AmsConnectionError(`SFTP ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    return Promise.race([answered, silence]).finally(() => clearTimeout(timer));
  };

  let refusal: string | undefined;
  let subsystemTimer: NodeJS.Timeout | undefined;
  // readyTimeout bounds ssh2's handshake and login; from then on the SFTP subsystem must answer within idleTimeoutMs
  // (a server can accept the login and never answer the subsystem's INIT).
  const subsystemSilent = new Promise<never>((_, reject) => {
    const onReady = (): void => {
      sftp.removeListener('ready', onReady);
      subsystemTimer = setTimeout(() => {
        cutOff();
        reject(new AmsTimeoutError(`${where}: the SFTP subsystem got no answer for ${idleMs} ms (idleTimeoutMs); cut off`));
      }, idleMs);
    };
    sftp.on('ready', onReady);
  });
  subsystemSilent.catch(() => undefined);
  try {
    await Promise.race([
      sftp.connect({
        host: login.host,
        port: login.port,
        username: login.username,
        ...(login.password !== undefined ? { password: login.password } : {}),
        ...(login.privateKey !== undefined ? { privateKey: login.privateKey } : {}),
        ...(login.passphrase !== undefined ? { passphrase: login.passphrase } : {}),
        readyTimeout: login.readyTimeoutMs,
        // A server that stops answering altogether is noticed between requests too, and the session closed.
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        // Called during the key exchange, before any login is sent: a refused key ends the connection there.
        hostVerifier: (key: Buffer) => {
          refusal = login.hostKey.refuse(key);
          return refusal === undefined;
        },
        ...(login.hostKey.algorithms
          ? {
              algorithms: {
                serverHostKey: login.hostKey.algorithms as NonNullable<SftpClientType.ConnectOptions['algorithms']>['serverHostKey'],
              },
            }
          : {}),
      }),
      subsystemSilent,
    ]);
  } catch (err) {
    cutOff();
    if (err instanceof AmsTimeoutError) throw err;
    if (refusal !== undefined) {
      throw new AmsConnectionError(
        `${where}: ${refusal}. The login was not sent. If the server's key really changed, check the new fingerprint with ` +
          'Antom before pinning it',
        { cause: err },
      );
    }
    // ssh2's messages name the stage (authentication, handshake, timeout), never the password or key.
    throw new AmsConnectionError(`${where}: ${(err as Error).message.replace(/^connect: /, '')}`, { cause: err });
  } finally {
    clearTimeout(subsystemTimer);
  }

  return {
    exists: async (path) => Boolean(await bounded(`looking for ${path}`, sftp.exists(path))),
    list: async (path) =>
      (await bounded(`listing ${path}`, sftp.list(path))).map((e) => ({
        name: e.name,
        type: e.type,
        size: e.size,
        modifyTime: e.modifyTime,
      })),
    download: async (remotePath, into) => {
      await sftp.get(remotePath, into);
    },
    cutOff,
    close: async () => {
      if (cut) return undefined;
      try {
        await bounded('closing the session', sftp.end());
      } catch (err) {
        if (err instanceof AmsTimeoutError)
          return `the SFTP server did not close the session within ${idleMs} ms (idleTimeoutMs): it was cut off (the files downloaded before are not affected)`;
        // Any other failure while closing: the session is over either way.
      }
      return undefined;
    },
  };
}
