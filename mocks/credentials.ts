// How the embedded gateway refuses credentials the way Alipay does: no key for a keyVersion, the other environment,
// a product not activated, an ISV without a valid Agent-Token.
import { apiPath, type AmsApi } from '../src/api/endpoint';
import type { ParsedSignatureHeader } from '../src/signing/header';

/**
 * What the gateway knows about one client id's credentials beyond its public key. Unknown client ids
 * (INVALID_CLIENT) and keys that do not verify (INVALID_SIGNATURE) need no setting: they follow from `merchants`.
 */
export interface CredentialSettings {
  /**
   * The key versions uploaded for this client id. A Signature naming another `keyVersion` gets an unsigned
   * `F KEY_NOT_FOUND`; an empty list means no key was uploaded at all. Default: any version is accepted.
   */
  keyVersions?: readonly string[];
  /**
   * The environment this client id is registered in. A request on the other environment's path gets an unsigned
   * `F INVALID_API` (Alipay cannot authenticate a client on an environment it does not exist in). Default: the
   * gateway's own rule, by the SANDBOX_ prefix (a signed `ACCESS_DENIED` that names the path to use).
   */
  registeredIn?: 'sandbox' | 'live';
  /** False: the product is not activated for this client id, so every authenticated call gets a signed `F ACCESS_DENIED`. */
  productActivated?: boolean;
}

/** Gateway option `credentials`: client id → its settings. */
export type CredentialOptions = Readonly<Record<string, CredentialSettings>>;

export interface CredentialRefusal {
  resultCode: string;
  message: string;
  signed: boolean;
}

function settingsOf(options: CredentialOptions | undefined, clientId: string): CredentialSettings | undefined {
  return options && Object.hasOwn(options, clientId) ? options[clientId] : undefined;
}

/**
 * Before the signature is checked: an environment the client is not registered in, or a key version Alipay does
 * not hold. Both are answered unsigned, like every answer to a request Alipay could not authenticate.
 */
export function refuseBeforeVerifying(
  options: CredentialOptions | undefined,
  req: { clientId: string; sandboxPath: boolean; signature: Pick<ParsedSignatureHeader, 'keyVersion'> | undefined },
): CredentialRefusal | undefined {
  const settings = settingsOf(options, req.clientId);
  if (!settings) return undefined;
  if (settings.registeredIn !== undefined && (settings.registeredIn === 'sandbox') !== req.sandboxPath) {
    return {
      resultCode: 'INVALID_API',
      message: `client-id ${req.clientId} is registered for the ${settings.registeredIn} environment; this is the ${req.sandboxPath ? 'sandbox' : 'live'} API path`,
      signed: false,
    };
  }
  // An unparsable Signature header (`signature` undefined) is the INVALID_SIGNATURE the gateway answers next.
  if (settings.keyVersions !== undefined && req.signature !== undefined) {
    const keyVersion = req.signature.keyVersion;
    const missing = settings.keyVersions.length === 0 || (keyVersion !== undefined && !settings.keyVersions.includes(keyVersion));
    if (missing) {
      return {
        resultCode: 'KEY_NOT_FOUND',
        message:
          settings.keyVersions.length === 0
            ? `no public key is uploaded for client-id ${req.clientId}`
            : `no public key with keyVersion ${keyVersion} is uploaded for client-id ${req.clientId} (uploaded: ${settings.keyVersions.join(', ')})`,
        signed: false,
      };
    }
  }
  return undefined;
}

/** Whether a client id lives in the sandbox: as configured, else by the SANDBOX_ prefix. */
export function registeredInSandbox(options: CredentialOptions | undefined, clientId: string): boolean {
  const settings = settingsOf(options, clientId);
  return settings?.registeredIn !== undefined ? settings.registeredIn === 'sandbox' : clientId.startsWith('SANDBOX_');
}

/**
 * After the signature verified, each signed `ACCESS_DENIED` as an authenticated answer: a product that is not
 * activated for this client, a client on the other environment's path (naming the path to use), an ISV client
 * without one of its Agent-Tokens.
 */
export function refuseAfterVerifying(
  options: CredentialOptions | undefined,
  req: { clientId: string; api: AmsApi; sandboxPath: boolean; agentTokens: readonly string[] | undefined; agentToken: string | undefined },
): CredentialRefusal | undefined {
  const denied = (message: string): CredentialRefusal => ({ resultCode: 'ACCESS_DENIED', message, signed: true });
  const { clientId, api, agentToken } = req;
  if (settingsOf(options, clientId)?.productActivated === false)
    return denied(`the product is not activated for client-id ${clientId}: it may not call ${api}`);
  const sandboxClient = registeredInSandbox(options, clientId);
  if (sandboxClient !== req.sandboxPath) {
    return denied(
      sandboxClient
        ? `client-id ${clientId} is a sandbox client: call ${apiPath(api, true)}, not the production path`
        : `client-id ${clientId} is a production client: call ${apiPath(api, false)}, not the sandbox path`,
    );
  }
  if (req.agentTokens && (agentToken === undefined || !req.agentTokens.includes(agentToken))) {
    return denied(
      agentToken === undefined
        ? 'this client acts for merchants: the Agent-Token header is required'
        : 'the Agent-Token is not valid for this client',
    );
  }
  return undefined;
}
