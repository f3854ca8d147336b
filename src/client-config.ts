// AmsClient's configuration: what it takes, the one schema that checks it, and the settings it becomes.
import { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { CallContext } from './api/call';
import { originOf, regionOrigin, REGIONS, type Region } from './api/endpoint';
import type { Integration, PayRules } from './api/pay';
import { systemClock, type Clock, type Logger } from './clock';
import { AmsConfigError } from './errors';
import { createDefaultTransport } from './http/default-transport';
import { DEFAULT_MAX_RESPONSE_BYTES, type Transport } from './http/types';
import { lazy } from './internal/lazy';
import { redactingLogger } from './internal/redact';
import { OPTION, parseOptions } from './options';
import { CurrencyCode } from './schemas/common';
import { getCryptoBackend, type CryptoBackendName } from './signing/backend';
import { KEY_VERSION_RE } from './signing/header';
import { loadPrivateKey, loadPublicKey, publicKeyFingerprint, type KeyInput } from './signing/keys';
import { defaultUserAgent } from './version';

export interface AmsClientConfig {
  /** Your client id from the Antom / Alipay developer center; `SANDBOX_…` ids use the sandbox paths. */
  clientId: string;
  /** Your RSA private key (PEM PKCS#1/PKCS#8, bare base64, DER or KeyObject). Never printed or logged. */
  privateKey: KeyInput;
  /** Alipay's public key from the developer center — not your own. Verifies every response. */
  alipayPublicKey: KeyInput;
  /** Which uploaded merchant key Alipay verifies with; default '1'; `null` omits it (latest key). */
  keyVersion?: string | number | null;
  /**
   * 'NA' (open-na.alipay.com), 'SEA' (open-sea.alipay.com) or 'EU' (open-de-global.alipay.com). One of region or
   * baseUrl is required.
   */
  region?: Region;
  /** The region's accelerated domain: open-na-global / open-sea-global.alipay.com (EU has only that one). Default false. */
  accelerated?: boolean;
  /** Defaults to whether clientId starts with SANDBOX_; a contradicting value is a config error. */
  sandbox?: boolean;
  /** Replaces only the origin (proxies, the local gateway from ams-cashier/mocks). */
  baseUrl?: string;
  /** An ISV's Agent-Token for the merchant it acts for; sent only when set. Never logged. */
  agentToken?: string;
  /** Per-attempt timeout; default 15000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for U results, 429, 5xx, resets and timeouts; default 2. */
  maxRetries?: number;
  /**
   * The most response body bytes read per attempt; default 1 MiB (AMS answers are a few KB). Past it the connection
   * is dropped and the attempt fails like a broken connection (retried with the same body, then AmsConnectionError).
   */
  maxResponseBytes?: number;
  logger?: Logger;
  clock?: Clock;
  /**
   * The HTTP seam. Default: `createDefaultTransport()`, node:http with keep-alive, or axios for URLs the environment
   * routes through a proxy. `createAxiosTransport({ axios })` brings your own axios instance (interceptors).
   */
  transport?: Transport;
  /** 'node' (default, node:crypto) or 'jsrsasign' (pure JS). */
  cryptoBackend?: CryptoBackendName;
  /**
   * `'direct'` (default): you are integrated directly with AlipayCN, and every ALIPAY_CN `pay()` must carry
   * `order.extendInfo.chinaExtraTransInfo` (the cashier guide requires it). `'acquirer'`: optional for you.
   */
  integration?: Integration;
  /**
   * The settlement currency in your contract with Alipay (e.g. 'USD'). When set, `pay()` refuses a request that
   * settles in another currency before anything is sent, as Alipay would.
   */
  contractSettlementCurrency?: string;
  /** The User-Agent header of every request; default `ams-cashier/<version> node/<version>`. */
  userAgent?: string;
}

const keyInput = lazy(() =>
  z.custom<KeyInput>((v) => typeof v === 'string' || v instanceof Uint8Array || v instanceof KeyObject, {
    error: 'must be a PEM or base64 string, DER bytes (Buffer/Uint8Array) or a KeyObject',
  }),
);
const headerText = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII (it is sent as a header)');

const ConfigSchema = lazy(() =>
  z.strictObject({
    clientId: OPTION.clientId,
    privateKey: keyInput(),
    alipayPublicKey: keyInput(),
    keyVersion: z
      .union([z.string().regex(KEY_VERSION_RE, 'must be a short token such as "1"'), z.number().int().nonnegative(), z.null()])
      .optional(),
    region: z.enum(REGIONS, { error: `must be one of ${REGIONS.join(', ')}` }).optional(),
    accelerated: z.boolean().optional(),
    sandbox: z.boolean().optional(),
    baseUrl: z.string().optional(),
    agentToken: headerText(4096).optional(),
    timeoutMs: OPTION.timeoutMs.optional(),
    maxRetries: OPTION.maxRetries.optional(),
    maxResponseBytes: OPTION.maxResponseBytes.optional(),
    logger: OPTION.logger.optional(),
    clock: OPTION.clock.optional(),
    transport: OPTION.transport.optional(),
    cryptoBackend: OPTION.cryptoBackend.optional(),
    integration: z.enum(['direct', 'acquirer'], { error: 'must be "direct" or "acquirer"' }).optional(),
    contractSettlementCurrency: CurrencyCode().optional(),
    userAgent: headerText(256).optional(),
  }),
);

/** A client's settings once checked: what the class exposes, the pay rules, and the request pipeline's context. */
export interface ClientSettings {
  clientId: string;
  sandbox: boolean;
  region: Region | undefined;
  baseUrl: string | undefined;
  origin: string;
  keyVersion: string | null;
  rules: PayRules;
  ctx: CallContext;
  privateKey: KeyObject;
  alipayPublicKey: KeyObject;
}

/**
 * Checks a client's configuration (one validator; the sandbox prefix, region or baseUrl, the keys, Alipay's key not
 * the merchant's own) and builds its settings. Every problem is an AmsConfigError naming the field.
 */
export function resolveClientConfig(config: AmsClientConfig): ClientSettings {
  const c = parseOptions(ConfigSchema(), config, 'AmsClient');

  const prefixed = c.clientId.startsWith('SANDBOX_');
  if (c.sandbox !== undefined && c.sandbox !== prefixed) {
    throw new AmsConfigError(
      c.sandbox
        ? `sandbox: true contradicts clientId "${c.clientId}", which is a production id (sandbox ids start with SANDBOX_)`
        : `sandbox: false contradicts clientId "${c.clientId}", which is a sandbox id (SANDBOX_ prefix)`,
      { field: 'sandbox' },
    );
  }
  if (c.region === undefined && c.baseUrl === undefined) {
    throw new AmsConfigError(`One of region (${REGIONS.map((r) => `"${r}"`).join(', ')}) or baseUrl is required`, { field: 'region' });
  }
  if (c.baseUrl !== undefined) originOf(c.baseUrl);

  const privateKey = loadPrivateKey(c.privateKey, 'privateKey');
  const alipayPublicKey = loadPublicKey(c.alipayPublicKey, 'alipayPublicKey');
  if (publicKeyFingerprint(privateKey) === publicKeyFingerprint(alipayPublicKey)) {
    throw new AmsConfigError(
      "alipayPublicKey is your own public key (it matches privateKey). Use Alipay's public key from the developer center: " +
        'your own public key is the one you upload to Alipay, never the one you verify with.',
      { field: 'alipayPublicKey' },
    );
  }

  const keyVersion = c.keyVersion === undefined ? '1' : c.keyVersion === null ? null : String(c.keyVersion);
  const origin = c.baseUrl !== undefined ? originOf(c.baseUrl) : regionOrigin(c.region!, c.accelerated === true)!;
  const rules: PayRules = { integration: c.integration ?? 'direct', contractSettlementCurrency: c.contractSettlementCurrency };
  const ctx: CallContext = {
    clientId: c.clientId,
    privateKey,
    alipayPublicKey,
    keyVersion,
    endpoint: { region: c.region, accelerated: c.accelerated, baseUrl: c.baseUrl, sandbox: prefixed },
    agentToken: c.agentToken,
    timeoutMs: c.timeoutMs ?? 15_000,
    maxRetries: c.maxRetries ?? 2,
    maxResponseBytes: c.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    transport: c.transport ?? createDefaultTransport(),
    clock: {
      now: c.clock ? () => c.clock!.now() : systemClock.now,
      sleep: c.clock?.sleep ? (ms, s) => c.clock!.sleep!(ms, s) : systemClock.sleep,
    },
    logger: c.logger && c.agentToken !== undefined ? redactingLogger(c.logger, c.agentToken) : c.logger,
    cryptoBackend: getCryptoBackend(c.cryptoBackend),
    random: Math.random,
    userAgent: c.userAgent ?? defaultUserAgent(),
  };
  return {
    clientId: c.clientId,
    sandbox: prefixed,
    region: c.region,
    baseUrl: c.baseUrl,
    origin,
    keyVersion,
    rules,
    ctx,
    privateKey,
    alipayPublicKey,
  };
}
