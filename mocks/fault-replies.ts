// How a scripted fault changes a call's reply: infrastructure faults that answer instead of the gateway, and
// faults that alter a processed answer on its way out. A `U` is answered by the core, after authentication.
import { JSON_HEADERS, result } from './answers';
import type { FaultObject } from './faults';
import type { GatewayReply } from './types';

const reset = (): GatewayReply => ({ status: 0, headers: {}, body: '', reset: true });

export interface InfrastructureFaultDeps {
  /** Waits ms (bounded by the caller); true when cut short by the client or the gateway closing. */
  wait(ms: number): Promise<boolean>;
  /** The cap of a `hang`. */
  maxHangMs: number;
  /** Renders an unsigned answer as the gateway would send it. */
  unsigned(body: Record<string, unknown>): Promise<GatewayReply>;
}

/**
 * Faults that answer before the call reaches the AMS application (a load balancer, a proxy, a dropped connection),
 * or `undefined` when the call goes on. `delay` goes on after its wait.
 */
export async function infrastructureFault(fault: FaultObject, deps: InfrastructureFaultDeps): Promise<GatewayReply | undefined> {
  const name = fault.fault;
  if (/^5\d\d$/.test(name)) {
    return { status: Number(name), headers: { 'content-type': 'text/plain' }, body: `${name} Service Unavailable (scripted fault)` };
  }
  if (name === '429') {
    return {
      status: 429,
      headers: { ...JSON_HEADERS, 'retry-after': String(fault.retryAfterSeconds ?? 1) },
      body: JSON.stringify({ result: result('U', 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'request traffic exceeds the limit (scripted fault)') }),
    };
  }
  if (name === 'reset') return reset();
  if (name === 'hang') {
    await deps.wait(Math.min(fault.ms ?? deps.maxHangMs, deps.maxHangMs));
    return reset();
  }
  if (name === 'unsignedF') {
    return deps.unsigned({ result: result('F', fault.resultCode ?? 'PROCESS_FAIL', 'process failed (scripted fault, unsigned)') });
  }
  if (name === 'html') {
    const status = fault.status ?? 502;
    return {
      status,
      headers: { 'content-type': 'text/html' },
      body: `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`,
    };
  }
  if (name === 'delay' && (await deps.wait(fault.ms ?? 1000))) return reset();
  return undefined;
}

/** Faults that alter a processed answer on its way out; `forge` makes a signature that never verifies. */
export function alterReply(fault: FaultObject, reply: GatewayReply, forge: (body: string) => string): GatewayReply {
  switch (fault.fault) {
    case 'badSignature':
      if (!reply.headers['signature']) return reply;
      return { ...reply, headers: { ...reply.headers, signature: forge(reply.body) } };
    case 'truncated':
      return { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
    case 'wrongContentType':
      return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain' } };
    default:
      return reply;
  }
}
