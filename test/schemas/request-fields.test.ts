// docs/request-fields.md is the request schemas' contract: every row is accepted, enforced at its limit, required when
// it says "always", and every field a request schema declares (and whether each object is loose or strict) is in it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { paymentRefBody, refundRefBody } from '../../src/api/lifecycle';
import { payRequestIssues } from '../../src/api/pay';
import {
  captureRequestIssues,
  consultRequestIssues,
  declareRequestIssues,
  inquiryDeclarationRequestIssues,
  paymentSessionRequestIssues,
  retrievePaymentSessionRequestIssues,
} from '../../src/api/requests';
import {
  acceptDisputeRequestIssues,
  downloadDisputeEvidenceRequestIssues,
  inquireExchangeRateRequestIssues,
  supplyDefenseDocumentRequestIssues,
} from '../../src/api/disputes';
import { AmsValidationError, type ValidationIssue } from '../../src/errors';
import { CaptureRequest } from '../../src/schemas/capture';
import { Amount } from '../../src/schemas/common';
import { ConsultRequest } from '../../src/schemas/consult';
import { DeclareRequest, InquiryDeclarationRequest } from '../../src/schemas/customs';
import { AcceptDisputeRequest, DownloadDisputeEvidenceRequest, SupplyDefenseDocumentRequest } from '../../src/schemas/disputes';
import { InquireExchangeRateRequest } from '../../src/schemas/exchange-rate';
import { PaymentRefSchema, RefundRefSchema, RefundRequest } from '../../src/schemas/lifecycle';
import { parseOrThrow } from '../../src/schemas/parse';
import { PayRequest } from '../../src/schemas/pay';
import { PaymentSessionRequest, RetrievePaymentSessionRequest } from '../../src/schemas/session';
import { FIXED_NOW, payRequest } from '../helpers/client';

const NOW = FIXED_NOW;
const IN_FIVE_MINUTES = '2026-11-22T00:05:00+00:00';
const doc = readFileSync(new URL('../../docs/request-fields.md', import.meta.url), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// The tables, as written.

type Kind =
  | 'String'
  | 'URL'
  | 'Datetime'
  | 'Amount'
  | 'Currency'
  | 'Boolean'
  | 'JSON'
  | 'Object'
  | 'Object[]'
  | 'String[]'
  | 'Enum'
  | 'passed through';
interface Limit {
  max?: number;
  each?: number;
  exact?: number;
}
interface Row {
  api: string;
  field: string;
  kind: Kind;
  values: string[];
  limit: Limit;
  required: string;
  source: string;
}

const KINDS = new Set<string>(['String', 'URL', 'Datetime', 'Amount', 'Currency', 'Boolean', 'JSON', 'Object', 'Object[]', 'String[]']);

function parseType(cell: string, where: string): { kind: Kind; values: string[] } {
  if (KINDS.has(cell) || cell === 'passed through') return { kind: cell as Kind, values: [] };
  const m = /^Enum: (.+)$/.exec(cell);
  if (m) return { kind: 'Enum', values: m[1]!.split(', ') };
  throw new Error(`${where}: type "${cell}" is not in the table's vocabulary`);
}

function parseLimit(cell: string, where: string): Limit {
  if (cell === '—') return {};
  let m = /^≤ (\d+)(?:, each ≤ (\d+))?$/.exec(cell);
  if (m) return { max: Number(m[1]), ...(m[2] ? { each: Number(m[2]) } : {}) };
  m = /^each ≤ (\d+)$/.exec(cell);
  if (m) return { each: Number(m[1]) };
  m = /^= (\d+)$/.exec(cell);
  if (m) return { exact: Number(m[1]) };
  throw new Error(`${where}: limit "${cell}" is not in the table's grammar`);
}

function parseTables(text: string): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  let api: string | undefined;
  for (const line of text.split('\n')) {
    const heading = /^## (\S+)$/.exec(line);
    if (heading) api = heading[1];
    else if (line.startsWith('## ')) api = undefined;
    if (api === undefined || !line.startsWith('| `')) continue;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    expect(cells, line).toHaveLength(5);
    const field = cells[0]!.replace(/^`|`$/g, '');
    const where = `${api} ${field}`;
    const rows = tables.get(api) ?? [];
    rows.push({ api, field, ...parseType(cells[1]!, where), limit: parseLimit(cells[2]!, where), required: cells[3]!, source: cells[4]! });
    tables.set(api, rows);
  }
  return tables;
}

// ---------------------------------------------------------------------------------------------------------------
// The APIs: the schema a table describes, the check the client runs, and a valid body to vary.

type Body = Record<string, unknown>;

/** The issues the client's own check finds (the throwing checks' issues, or none). */
function thrown(run: () => unknown): ValidationIssue[] {
  try {
    run();
    return [];
  } catch (err) {
    if (err instanceof AmsValidationError) return [...err.issues];
    throw err;
  }
}

const cnExtend = JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '2' } });
const order = () => ({
  referenceOrderId: 'order-1',
  orderDescription: 'Two pencils',
  orderAmount: { currency: 'USD', value: '100' },
  extendInfo: cnExtend,
  env: { terminalType: 'WEB' },
});

const APIS: Record<string, { schema: z.ZodType; base: () => Body; issues: (body: Body) => ValidationIssue[] }> = {
  pay: {
    schema: PayRequest(),
    base: () => payRequest({ order: order() }),
    issues: (b) => payRequestIssues(b, NOW),
  },
  createPaymentSession: {
    schema: PaymentSessionRequest(),
    base: () => ({
      productCode: 'CASHIER_PAYMENT',
      productScene: 'CHECKOUT_PAYMENT',
      paymentRequestId: 'pr-1',
      order: order(),
      paymentAmount: { currency: 'USD', value: '100' },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      settlementStrategy: { settlementCurrency: 'USD' },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
    }),
    issues: (b) => paymentSessionRequestIssues(b, NOW),
  },
  retrievePaymentSession: {
    schema: RetrievePaymentSessionRequest(),
    base: () => ({ paymentRequestId: 'pr-1' }),
    issues: (b) => retrievePaymentSessionRequestIssues(b),
  },
  consult: {
    schema: ConsultRequest(),
    base: () => ({
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'USD', value: '100' },
      env: { terminalType: 'WEB' },
      settlementStrategy: { settlementCurrency: 'USD' },
    }),
    issues: (b) => consultRequestIssues(b),
  },
  capture: {
    schema: CaptureRequest(),
    base: () => ({ captureRequestId: 'cap-1', paymentId: 'pay-1', captureAmount: { currency: 'USD', value: '100' } }),
    issues: (b) => captureRequestIssues(b),
  },
  inquiryPayment: {
    schema: PaymentRefSchema(),
    base: () => ({ paymentRequestId: 'pr-1' }),
    issues: (b) => thrown(() => paymentRefBody(b, 'inquiryPayment')),
  },
  cancel: {
    schema: PaymentRefSchema(),
    base: () => ({ paymentId: 'pay-1' }),
    issues: (b) => thrown(() => paymentRefBody(b, 'cancel')),
  },
  refund: {
    schema: RefundRequest(),
    base: () => ({
      refundRequestId: 'r-1',
      paymentId: 'pay-1',
      refundAmount: { currency: 'USD', value: '100' },
      refundDetails: [{ refundAmount: { currency: 'USD', value: '100' }, refundFrom: 'SELLER' }],
    }),
    issues: (b) => thrown(() => parseOrThrow(RefundRequest(), b, 'Invalid refund request')),
  },
  inquiryRefund: {
    schema: RefundRefSchema(),
    base: () => ({ refundRequestId: 'r-1' }),
    issues: (b) => thrown(() => refundRefBody(b, 'inquiryRefund')),
  },
  declare: {
    schema: DeclareRequest(),
    base: () => ({
      declarationRequestId: 'decl-1',
      paymentId: 'pay-1',
      declarationAmount: { currency: 'CNY', value: '10000' },
      customs: { customsCode: 'ZONGSHU', region: 'CN' },
      merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
      splitOrder: false,
      buyerCertificate: { certificateType: 'ID_CARD', certificateNo: '110101199003070000', holderName: { fullName: 'Zhang San' } },
    }),
    issues: (b) => declareRequestIssues(b),
  },
  inquiryDeclarationRequests: {
    schema: InquiryDeclarationRequest(),
    base: () => ({ declarationRequestIds: ['decl-1'] }),
    issues: (b) => inquiryDeclarationRequestIssues(b),
  },
  acceptDispute: {
    schema: AcceptDisputeRequest(),
    base: () => ({ disputeId: 'dsp-1' }),
    issues: (b) => acceptDisputeRequestIssues(b),
  },
  supplyDefenseDocument: {
    schema: SupplyDefenseDocumentRequest(),
    base: () => ({ disputeId: 'dsp-1', disputeEvidence: Buffer.from('%PDF-1.4 defense').toString('base64') }),
    issues: (b) => supplyDefenseDocumentRequestIssues(b),
  },
  downloadDisputeEvidence: {
    schema: DownloadDisputeEvidenceRequest(),
    base: () => ({ disputeId: 'dsp-1', disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' }),
    issues: (b) => downloadDisputeEvidenceRequestIssues(b),
  },
  inquireExchangeRate: {
    schema: InquireExchangeRateRequest(),
    base: () => ({
      productCode: 'CASHIER_PAYMENT',
      sellCurrency: 'CNY',
      buyCurrency: 'USD',
      currencyPairs: [{ sellCurrency: 'CNY', buyCurrency: 'EUR' }],
    }),
    issues: (b) => inquireExchangeRateRequestIssues(b),
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Paths: `order.env.osType`, `refundDetails[].refundFrom` (the first element).

function segments(path: string): string[] {
  return path.split('.');
}

function getAt(body: unknown, path: string): unknown {
  let at = body;
  for (const seg of segments(path)) {
    if (at === null || typeof at !== 'object') return undefined;
    const key = seg.replace(/\[\]$/, '');
    at = (at as Body)[key];
    if (seg.endsWith('[]')) at = Array.isArray(at) ? at[0] : undefined;
  }
  return at;
}

/** A copy of `body` with `value` at `path` (undefined deletes it); objects on the way are made when missing. */
function withAt(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const segs = segments(path);
  let at: Body = copy;
  segs.forEach((seg, i) => {
    const key = seg.replace(/\[\]$/, '');
    const last = i === segs.length - 1;
    if (seg.endsWith('[]')) {
      if (!Array.isArray(at[key])) at[key] = [{}];
      const list = at[key] as Body[];
      if (last) list[0] = value as Body;
      else at = list[0]!;
      return;
    }
    if (last) {
      if (value === undefined) delete at[key];
      else at[key] = value;
      return;
    }
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Body;
  });
  return copy;
}

/** The field name an issue about `path` carries (`refundDetails[].refundFrom` → `refundDetails[0].refundFrom`). */
const issueField = (path: string) => path.replace(/\[\]/g, '[0]');

function names(issues: ValidationIssue[], path: string): boolean {
  const f = issueField(path);
  return issues.some((i) => i.field === f || i.field.startsWith(`${f}.`) || i.field.startsWith(`${f}[`));
}

// ---------------------------------------------------------------------------------------------------------------
// Values: one valid value per row (at its limit when it has one), values one past the limit, values of the wrong kind.

function text(length: number): string {
  return 'a'.repeat(length);
}

function url(length: number): string {
  const head = 'https://merchant.example/';
  return head + 'p'.repeat(length - head.length);
}

/** The JSON text of `base` padded to exactly `length` characters. */
function jsonOfLength(base: unknown, length: number): string {
  const object = (typeof base === 'string' ? JSON.parse(base) : base) as Body;
  const bare = JSON.stringify({ ...object, pad: '' });
  return JSON.stringify({ ...object, pad: 'x'.repeat(length - bare.length) });
}

/** The first element of an array in the base body, or an empty object. */
function firstOf(list: unknown): unknown {
  return Array.isArray(list) && list.length > 0 ? list[0] : {};
}

/** Valid values for a row: at its limit when it has one; a Boolean in both its forms (the base's value, for splitOrder). */
function validValues(row: Row, base: Body): unknown[] {
  const at = getAt(base, row.field);
  if (row.kind === 'Boolean') return [at ?? true, String(at ?? true)];
  return [validValue(row, base, at)];
}

function validValue(row: Row, base: Body, at: unknown): unknown {
  const { max, each, exact } = row.limit;
  switch (row.kind) {
    case 'String':
      return exact !== undefined ? text(exact) : max !== undefined ? text(max) : (at ?? 'text');
    case 'URL':
      return max !== undefined ? url(max) : 'https://merchant.example/x';
    case 'Datetime':
      return IN_FIVE_MINUTES;
    case 'Amount':
      return at ?? { currency: 'USD', value: '100' };
    case 'Currency':
      return 'USD';
    case 'Enum':
      return row.values[0];
    case 'JSON':
      return max !== undefined ? jsonOfLength(at, max) : at;
    case 'Object':
      return at ?? {};
    case 'Object[]':
      // At its limit: that many copies of the base's first element (an element with required fields stays valid).
      return max !== undefined ? Array.from({ length: max }, () => structuredClone(firstOf(at))) : (at ?? [{}]);
    case 'String[]':
      return Array.from({ length: max ?? 1 }, () => text(each ?? 4));
    case 'Boolean':
    case 'passed through':
      throw new Error(`no single value for ${row.kind}`);
  }
}

/** Values one past the row's limit (none when it has no limit). */
function pastLimit(row: Row, base: Body): unknown[] {
  const { max, each, exact } = row.limit;
  const out: unknown[] = [];
  if (row.kind === 'String' || row.kind === 'Currency') {
    if (exact !== undefined) out.push(text(exact + 1), text(exact - 1));
    if (max !== undefined) out.push(text(max + 1));
  }
  if (row.kind === 'URL' && max !== undefined) out.push(url(max + 1));
  if (row.kind === 'JSON' && max !== undefined) out.push(jsonOfLength(getAt(base, row.field), max + 1));
  if (row.kind === 'Object[]' && max !== undefined)
    out.push(Array.from({ length: max + 1 }, () => structuredClone(firstOf(getAt(base, row.field)))));
  if (row.kind === 'String[]') {
    if (max !== undefined) out.push(Array.from({ length: max + 1 }, () => text(each ?? 4)));
    if (each !== undefined) out.push([text(each + 1)]);
  }
  return out;
}

/** Values no row of this type accepts. */
function wrongKind(row: Row): unknown[] {
  switch (row.kind) {
    case 'String':
    case 'URL':
    case 'Datetime':
    case 'Currency':
      return [42, ...(row.kind === 'String' ? [] : ['not one'])];
    case 'Enum':
      return [42, 'NOT_A_LISTED_VALUE'];
    case 'Boolean':
      return ['maybe', 1];
    case 'Amount':
      return [{ currency: 'USD', value: '1.5' }, '100'];
    case 'JSON':
      return [42];
    case 'Object':
      return ['x'];
    case 'Object[]':
    case 'String[]':
      return ['x', [42]];
    case 'passed through':
      return [];
  }
}

/** The body a row is tried in: for "exactly one of `a` or `b`", the other id is left out. */
function baseFor(row: Row): Body {
  const base = APIS[row.api]!.base();
  const one = /^exactly one of `(\w+)` or `(\w+)`$/.exec(row.required);
  if (one) for (const id of [one[1]!, one[2]!]) if (id !== row.field) delete base[id];
  return base;
}

// ---------------------------------------------------------------------------------------------------------------
// What a schema declares: every key path, and every object with fields (loose or strict).

interface Declared {
  fields: string[];
  objects: Array<{ path: string; loose: boolean }>;
}

function declared(schema: z.ZodType): Declared {
  const out: Declared = { fields: [], objects: [] };
  const walk = (s: z.ZodType, path: string): void => {
    let inner = s;
    while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
    if (inner instanceof z.ZodArray) return walk(inner.element as z.ZodType, `${path}[]`);
    // Amounts are one row (their currency and value are the Amount type); an object without fields is passed through.
    if (!(inner instanceof z.ZodObject) || inner === Amount() || Object.keys(inner.shape).length === 0) return;
    const catchall = (inner._zod.def as { catchall?: z.ZodType }).catchall;
    out.objects.push({ path, loose: catchall instanceof z.ZodUnknown });
    for (const [key, child] of Object.entries(inner.shape)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      out.fields.push(childPath);
      walk(child, childPath);
    }
  };
  walk(schema, '');
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const tables = parseTables(doc);

describe('docs/request-fields.md', () => {
  it('has one table for each modelled request API, and every row names its source', () => {
    expect([...tables.keys()].sort()).toEqual(Object.keys(APIS).sort());
    for (const rows of tables.values()) {
      for (const row of rows) expect(row.source.length, `${row.api} ${row.field}`).toBeGreaterThan(2);
      const fields = rows.map((r) => r.field);
      expect(new Set(fields).size, `${rows[0]!.api}: a field listed twice`).toBe(fields.length);
    }
  });

  describe.each(Object.keys(APIS))('%s', (api) => {
    const rows = tables.get(api) ?? [];
    const { schema, issues } = APIS[api]!;
    const valued = rows.filter((r) => r.kind !== 'passed through');

    it('the valid base body passes the check', () => {
      expect(issues(APIS[api]!.base())).toEqual([]);
    });

    it('every field the schema declares has a row, and every row is a field the schema declares', () => {
      const { fields } = declared(schema);
      expect(valued.map((r) => r.field).sort()).toEqual([...fields].sort());
    });

    it('an object with a `*` row is loose (an unknown field is sent), any other refuses an unknown field', () => {
      const { objects } = declared(schema);
      const loose = new Set(rows.filter((r) => r.kind === 'passed through').map((r) => r.field.replace(/\.?\*$/, '')));
      expect([...loose].sort()).toEqual(
        objects
          .filter((o) => o.loose)
          .map((o) => o.path)
          .sort(),
      );
      for (const { path } of objects) {
        const key = path === '' ? 'undocumentedField' : `${path}.undocumentedField`;
        const found = issues(withAt(baseFor({ api, required: '' } as Row), key, 'x'));
        if (loose.has(path)) expect(found, key).toEqual([]);
        else
          expect(
            found.some((i) => i.field === issueField(path) && i.code === 'unrecognized_keys'),
            key,
          ).toBe(true);
      }
    });

    it.each(valued.map((r) => [r.field, r] as const))('%s: accepted at its limit, refused past it and of the wrong kind', (_f, row) => {
      const base = baseFor(row);
      for (const value of validValues(row, base)) {
        expect(issues(withAt(base, row.field, value)), `${row.field} = ${JSON.stringify(value).slice(0, 80)}`).toEqual([]);
      }
      for (const bad of [...pastLimit(row, base), ...wrongKind(row)]) {
        const found = issues(withAt(base, row.field, bad));
        expect(names(found, row.field), `${row.field} = ${JSON.stringify(bad).slice(0, 80)} → ${JSON.stringify(found)}`).toBe(true);
      }
      if (row.required === 'always') {
        expect(names(issues(withAt(base, row.field, undefined)), row.field), `${row.field} left out`).toBe(true);
      }
    });
  });

  it('"exactly one of" ids: neither and both are refused', () => {
    for (const api of ['inquiryPayment', 'cancel', 'inquiryRefund']) {
      const pair = tables.get(api)!.filter((r) => r.required.startsWith('exactly one of'));
      expect(pair).toHaveLength(2);
      const both = { [pair[0]!.field]: 'id-1', [pair[1]!.field]: 'id-2' };
      expect(APIS[api]!.issues({})).toMatchObject([{ code: 'required' }]);
      expect(APIS[api]!.issues(both)).toMatchObject([{ code: 'conflict' }]);
    }
  });
});
