// Builds the exact content AMS signs: "METHOD PATH\nCLIENT-ID.TIME.BODY". Pure: no I/O, no clock.

export interface SignContentInput {
  method?: string;
  path: string;
  clientId: string;
  /** The Request-Time (or Response-Time) header value, byte for byte as sent. */
  time: string;
  /** The body exactly as sent on the wire. */
  body: string;
}

/** The string that is signed for a request, or verified for a response or notification. */
export function buildSignContent({ method = 'POST', path, clientId, time, body }: SignContentInput): string {
  return `${method} ${path}\n${clientId}.${time}.${body}`;
}

/**
 * The same content as bytes, for bodies that arrive as bytes (notifications): the raw bytes are appended
 * untouched, so a body that is not valid UTF-8 is verified as received rather than after a lossy decode.
 */
export function buildSignContentBytes(input: Omit<SignContentInput, 'body'> & { body: string | Uint8Array }): Buffer {
  const { method = 'POST', path, clientId, time, body } = input;
  if (typeof body === 'string') return Buffer.from(buildSignContent({ method, path, clientId, time, body }), 'utf8');
  const head = Buffer.from(`${method} ${path}\n${clientId}.${time}.`, 'utf8');
  return Buffer.concat([head, body]);
}
