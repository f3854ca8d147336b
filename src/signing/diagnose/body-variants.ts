// One-step changes to the body bytes that explain a signature over other bytes: newlines, BOM, whitespace, re-serialized JSON.
import { change, type Variant } from './types';

function strip(buf: Buffer, n: number): Buffer {
  return buf.subarray(0, buf.length - n);
}

const BODY_CAUSE = {
  fix: 'Sign the exact bytes you send and verify the raw bytes you receive; never re-serialize or re-read the body in between.',
};

/** One-step changes to the body bytes. */
export function bodySteps(body: Buffer): Variant<Buffer>[] {
  const out: Variant<Buffer>[] = [];
  const push = (value: Buffer, id: string, variant: string, cause: string) =>
    out.push({ value, changes: [change('body', id, variant, `${cause} ${BODY_CAUSE.fix}`)] });
  if (body.length > 0 && body[body.length - 1] === 0x0a) {
    const n = body.length > 1 && body[body.length - 2] === 0x0d ? 2 : 1;
    push(
      strip(body, n),
      'trailing-newline-removed',
      'the body without its trailing newline',
      'The body you have ends with a newline that was not signed (editors, echo and heredocs add one).',
    );
  } else {
    push(
      Buffer.concat([body, Buffer.from('\n')]),
      'trailing-newline-added',
      'the body with a trailing newline',
      'What was signed ended with a newline that the body you have does not (a file with a final newline was signed, then the body was sent without it).',
    );
    push(
      Buffer.concat([body, Buffer.from('\r\n')]),
      'trailing-crlf-added',
      'the body with a trailing CRLF',
      'What was signed ended with CRLF that the body you have does not.',
    );
  }
  const trimmed = Buffer.from(body.toString('latin1').replace(/\s+$/, ''), 'latin1');
  if (trimmed.length !== body.length && trimmed.length !== body.length - 1)
    push(
      trimmed,
      'trailing-whitespace-removed',
      'the body without trailing whitespace',
      'The body you have ends with whitespace that was not signed.',
    );
  const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (hasBom)
    push(
      body.subarray(3),
      'bom-removed',
      'the body without its BOM',
      'The body you have starts with a UTF-8 BOM (\\ufeff) that was not signed (a file saved "with BOM").',
    );
  else
    push(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]),
      'bom-added',
      'the body with a UTF-8 BOM',
      'What was signed started with a UTF-8 BOM that the body you have lacks (the BOM was stripped after signing).',
    );
  const text = body.toString('utf8');
  if (text.includes('\r\n'))
    push(
      Buffer.from(text.replace(/\r\n/g, '\n')),
      'crlf-to-lf',
      'the body with LF line endings',
      'What was signed had LF line endings; the body you have has CRLF.',
    );
  else if (text.includes('\n'))
    push(
      Buffer.from(text.replace(/\n/g, '\r\n')),
      'lf-to-crlf',
      'the body with CRLF line endings',
      'What was signed had CRLF line endings; the body you have has LF.',
    );
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    isJson = true;
  } catch {
    isJson = false;
  }
  if (isJson) {
    const reserialized =
      'The JSON was re-serialized between signing and sending/verifying (parsed and stringified again changes whitespace).';
    // When re-serializing only drops a BOM or trailing whitespace, those simpler steps are the better explanation.
    const core = text.replace(/^\uFEFF/, '').replace(/\s+$/, '');
    const json = (value: string, id: string, variant: string, cause: string) => {
      if (value !== core) push(Buffer.from(value), id, variant, `${cause} ${reserialized}`);
    };
    json(JSON.stringify(parsed), 'json-compact', 'the body as compact JSON', 'What was signed is the same JSON written compactly.');
    json(
      JSON.stringify(parsed, null, 2),
      'json-indent-2',
      'the body as JSON indented by 2 spaces',
      'What was signed is the same JSON indented by 2 spaces.',
    );
    json(
      JSON.stringify(parsed, null, 4),
      'json-indent-4',
      'the body as JSON indented by 4 spaces',
      'What was signed is the same JSON indented by 4 spaces.',
    );
  }
  return out;
}
