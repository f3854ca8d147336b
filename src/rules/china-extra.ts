// Builds and checks chinaExtraTransInfo, which AlipayCN requires of direct merchants in order.extendInfo. Pure.

import { showValue } from './show';
import { RULE_SOURCES } from './sources';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { CONTROL_CHARACTER, fieldPath, isPlainObject, textProblem } from './fields';
import {
  type ChinaBusinessTypeCode,
  type ChinaExtraTransInfo,
  type ChinaExtraTransInfoFor,
  type ChinaExtraTransInfoInput,
  type TradeInfo,
} from './china-extra-shape';

/** Names accepted for each code, normalized (upper case, '_' as separator). */
const BUSINESS_TYPE_ALIASES: Readonly<Record<string, ChinaBusinessTypeCode>> = Object.freeze({
  HOTEL: '1',
  AIR_TICKET: '2',
  AIR: '2',
  FLIGHT: '2',
  STUDY_ABROAD: '3',
  STUDY: '3',
  TRADE: '4',
  GOODS: '4',
  OTHER: '5',
});

const CODES: readonly ChinaBusinessTypeCode[] = ['1', '2', '3', '4', '5'];

/** What each code is, for messages. */
const KIND: Readonly<Record<ChinaBusinessTypeCode, string>> = {
  '1': 'hotel',
  '2': 'air ticket',
  '3': 'study abroad',
  '4': 'trade',
  '5': 'other',
};

/** The string fields AMS requires for each businessType, in the order they are written out. */
const REQUIRED_FIELDS: Readonly<Record<ChinaBusinessTypeCode, readonly string[]>> = {
  '1': ['hotelName', 'checkinTime', 'checkoutTime'],
  '2': ['flightNumber', 'departureTime'],
  '3': ['admissionNoticeUrl'],
  '4': ['goodsInfo', 'totalQuantity'],
  '5': ['otherBusinessType'],
};

const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

/** Reads a businessType: a code, or a name in any case with '_', '-' or ' ' between words. */
export function normalizeBusinessType(value: unknown): ChinaBusinessTypeCode | undefined {
  if (typeof value !== 'string') return undefined;
  if ((CODES as readonly string[]).includes(value)) return value as ChinaBusinessTypeCode;
  const key = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return Object.hasOwn(BUSINESS_TYPE_ALIASES, key) ? BUSINESS_TYPE_ALIASES[key] : undefined;
}

/**
 * 'input' is what a developer hands the builder: names allowed, numbers allowed for quantities, unknown
 * keys refused (a typo such as `checkInTime` should fail loudly). 'wire' is what is sent: codes and strings
 * only, and unknown keys tolerated, since AMS may define fields this module does not know yet.
 */
export type Mode = 'input' | 'wire';

export interface Context {
  mode: Mode;
  prefix: string;
  issues: ValidationIssue[];
}

function issue(ctx: Context, key: string, message: string): void {
  ctx.issues.push({ field: fieldPath(ctx.prefix, key), message });
}

/** A required free-text field: a non-blank string without control characters. */
function readText(ctx: Context, obj: Record<string, unknown>, key: string, code: ChinaBusinessTypeCode): string | undefined {
  const value = obj[key];
  const problem = textProblem(value, `is required for businessType ${code} (${KIND[code]})`);
  if (!problem) return value as string;
  issue(ctx, key, problem.code === 'too_small' ? `is empty: it is required for businessType ${code} (${KIND[code]})` : problem.message);
  return undefined;
}

/** A positive safe integer given as a number (input mode only) or a digit string; returns it as a string. */
function readQuantity(ctx: Context, value: unknown, key: string): string | undefined {
  if (typeof value === 'number' && ctx.mode === 'input') {
    if (Number.isSafeInteger(value) && value > 0) return String(value);
    issue(ctx, key, `${showValue(value)} is not a positive integer`);
    return undefined;
  }
  if (typeof value === 'string') {
    if (POSITIVE_INTEGER.test(value) && Number.isSafeInteger(Number(value))) return value;
    issue(ctx, key, `${showValue(value)} is not a positive integer written with digits only`);
    return undefined;
  }
  if (value === undefined || value === null) issue(ctx, key, 'is required');
  else issue(ctx, key, `must be ${ctx.mode === 'wire' ? 'a string' : 'a number or a string'}, not ${showValue(value)}`);
  return undefined;
}

function goodsNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  if (name.includes('^')) return `${showValue(name)} contains "^", which separates a name from its quantity in goodsInfo`;
  if (name.includes('|')) return `${showValue(name)} contains "|", which separates items in goodsInfo`;
  if (CONTROL_CHARACTER.test(name)) return `${showValue(name)} contains a control character (newline, tab…)`;
  return undefined;
}

interface ParsedGoods {
  items: { name: string; quantity: number }[];
  total: bigint;
}

/** Splits a goodsInfo string, recording a problem per malformed item (all of them, not just the first). */
/** The most problems listed for one goodsInfo. */
const MAX_GOODS_ISSUES = 20;

function readGoodsInfo(ctx: Context, goodsInfo: string, key: string): ParsedGoods | undefined {
  if (goodsInfo.trim() === '') {
    issue(ctx, key, 'is empty: list at least one item as name^quantity');
    return undefined;
  }
  const parts = goodsInfo.split('|');
  const items: ParsedGoods['items'] = [];
  let total = 0n;
  let bad = false;
  const before = ctx.issues.length;
  for (let i = 0; i < parts.length; i++) {
    // A list this broken is named, not itemised: past a few problems the rest would only make the message huge.
    if (ctx.issues.length - before >= MAX_GOODS_ISSUES) {
      issue(ctx, key, `and more: only the first ${MAX_GOODS_ISSUES} problems of its ${parts.length} items are listed`);
      break;
    }
    const part = parts[i]!;
    // Only a message needs it: a valid list (every pay) never pays for writing it.
    const where = (): string => `item ${i + 1} of ${parts.length} (${showValue(part)})`;
    const caret = part.indexOf('^');
    if (caret < 0 || caret !== part.lastIndexOf('^')) {
      issue(ctx, key, `${where()} must be name^quantity with exactly one "^"`);
      bad = true;
      continue;
    }
    const name = part.slice(0, caret);
    const qty = part.slice(caret + 1);
    const nameProblem =
      name.trim() === '' ? 'has an empty name' : CONTROL_CHARACTER.test(name) ? 'has a control character in its name' : undefined;
    if (nameProblem) {
      issue(ctx, key, `${where()} ${nameProblem}`);
      bad = true;
    }
    if (!POSITIVE_INTEGER.test(qty) || !Number.isSafeInteger(Number(qty))) {
      issue(ctx, key, `${where()} has quantity ${showValue(qty)}, which is not a positive integer`);
      bad = true;
      continue;
    }
    items.push({ name, quantity: Number(qty) });
    total += BigInt(qty);
  }
  return bad ? undefined : { items, total };
}

function checkUnknownKeys(ctx: Context, obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  if (ctx.mode !== 'input') return;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) issue(ctx, key, `is not a field of ${what}; expected ${allowed.join(', ')}`);
  }
}

function readTrade(ctx: Context, obj: Record<string, unknown>): TradeInfo | undefined {
  const before = ctx.issues.length;
  const { goods, goodsInfo, totalQuantity } = obj;
  let built: { goodsInfo: string; total: bigint } | undefined;

  if (ctx.mode === 'input' && goods !== undefined && goodsInfo !== undefined) {
    issue(ctx, 'goods', 'give either goods or goodsInfo with totalQuantity, not both');
    return undefined;
  }
  if (ctx.mode === 'input' && goods !== undefined) {
    if (!Array.isArray(goods)) {
      issue(ctx, 'goods', `must be an array of { name, quantity }, not ${showValue(goods)}`);
    } else if (goods.length === 0) {
      issue(ctx, 'goods', 'is empty: list at least one item as { name, quantity }');
    } else {
      const parts: string[] = [];
      let total = 0n;
      goods.forEach((item: unknown, i) => {
        const at = `goods[${i}]`;
        if (!isPlainObject(item)) {
          issue(ctx, at, `must be an object { name, quantity }, not ${showValue(item)}`);
          return;
        }
        checkUnknownKeys({ ...ctx, prefix: fieldPath(ctx.prefix, at) }, item, ['name', 'quantity'], 'a goods item');
        const { name, quantity } = item;
        let okName: string | undefined;
        if (typeof name !== 'string') issue(ctx, `${at}.name`, name === undefined ? 'is required' : `must be a string, not ${typeof name}`);
        else {
          const problem = goodsNameProblem(name);
          if (problem) issue(ctx, `${at}.name`, problem);
          else okName = name;
        }
        const okQty = readQuantity(ctx, quantity, `${at}.quantity`);
        if (okName !== undefined && okQty !== undefined) {
          parts.push(`${okName}^${okQty}`);
          total += BigInt(okQty);
        }
      });
      if (ctx.issues.length === before) built = { goodsInfo: parts.join('|'), total };
    }
  } else if (goodsInfo === undefined || goodsInfo === null) {
    issue(
      ctx,
      ctx.mode === 'input' ? 'goods' : 'goodsInfo',
      ctx.mode === 'input'
        ? 'is required for businessType 4 (trade): list the items as [{ name, quantity }], or give goodsInfo and totalQuantity'
        : 'is required for businessType 4 (trade): items as name^quantity joined by "|"',
    );
  } else if (typeof goodsInfo !== 'string') {
    issue(ctx, 'goodsInfo', `must be a string such as "pencil^2|eraser^5", not ${showValue(goodsInfo)}`);
  } else {
    const parsed = readGoodsInfo(ctx, goodsInfo, 'goodsInfo');
    if (parsed) built = { goodsInfo, total: parsed.total };
  }

  // totalQuantity is computed from goods, so there it is optional; next to a goodsInfo string it is required.
  // When the builder got neither goods nor goodsInfo, "goods is required" already says it all.
  const totalRequired = ctx.mode === 'wire' || (goods === undefined && goodsInfo !== undefined && goodsInfo !== null);
  if (totalQuantity !== undefined || totalRequired) {
    const given = readQuantity(ctx, totalQuantity, 'totalQuantity');
    if (given !== undefined && built && BigInt(given) !== built.total)
      issue(ctx, 'totalQuantity', `is ${given} but the quantities in goodsInfo add up to ${built.total}`);
  }
  if (ctx.issues.length !== before || !built) return undefined;
  return { businessType: '4', goodsInfo: built.goodsInfo, totalQuantity: built.total.toString() };
}

/** Shared by the builder ('input') and by the extendInfo checks ('wire'). Records issues; returns the info when none. */
export function readChinaExtraTransInfo(ctx: Context, value: unknown): ChinaExtraTransInfo | undefined {
  if (!isPlainObject(value)) {
    ctx.issues.push({
      field: ctx.prefix,
      message: `must be an object with a businessType, not ${showValue(value)}`,
    });
    return undefined;
  }
  const raw = value.businessType;
  let code =
    ctx.mode === 'input'
      ? normalizeBusinessType(raw)
      : (CODES as readonly unknown[]).includes(raw)
        ? (raw as ChinaBusinessTypeCode)
        : undefined;
  if (!code) {
    const expected =
      ctx.mode === 'input'
        ? `"1".."5" or a name (HOTEL, AIR_TICKET, STUDY_ABROAD, TRADE, OTHER)`
        : `a code as a string: "1" hotel, "2" air ticket, "3" study abroad, "4" trade, "5" other`;
    // On the wire only the string code is valid, but a name or a number still says which fields to check.
    const meant = ctx.mode === 'wire' ? normalizeBusinessType(typeof raw === 'number' ? String(raw) : raw) : undefined;
    issue(
      ctx,
      'businessType',
      raw === undefined
        ? `is required: ${expected}`
        : `${showValue(raw)} is not a businessType: expected ${expected}${meant ? `; did you mean "${meant}"?` : ''}`,
    );
    if (!meant) return undefined;
    code = meant;
  }
  if (code === '4') {
    checkUnknownKeys(ctx, value, ['businessType', 'goods', 'goodsInfo', 'totalQuantity'], 'businessType 4 (trade)');
    return readTrade(ctx, value);
  }
  const fields = REQUIRED_FIELDS[code];
  checkUnknownKeys(ctx, value, ['businessType', ...fields], `businessType ${code} (${KIND[code]})`);
  const before = ctx.issues.length;
  const out: Record<string, string> = { businessType: code };
  for (const key of fields) {
    const text = readText(ctx, value, key, code);
    if (text !== undefined) out[key] = text;
  }
  return ctx.issues.length === before ? (out as unknown as ChinaExtraTransInfo) : undefined;
}

/**
 * Builds chinaExtraTransInfo with AMS codes and string values. `businessType` may be the code or a name
 * (`'TRADE'`, `'trade'`, `'air-ticket'` …). For trade, `goods: [{ name, quantity }]` becomes
 * `goodsInfo` (`name^qty|name^qty`) and `totalQuantity` (the sum); a ready goodsInfo string with its
 * totalQuantity is checked instead. An already-built object passes through unchanged.
 * @throws AmsValidationError listing every problem, each on its field (`goods[1].name`, `checkinTime` …).
 */
export function buildChinaExtraTransInfo<I extends ChinaExtraTransInfoInput>(input: I): ChinaExtraTransInfoFor<I> {
  const ctx: Context = { mode: 'input', prefix: '', issues: [] };
  const info = readChinaExtraTransInfo(ctx, input);
  if (!info || ctx.issues.length > 0) throw new AmsValidationError(ctx.issues, { context: 'Invalid chinaExtraTransInfo' });
  return info as ChinaExtraTransInfoFor<I>;
}

/**
 * Parses a goodsInfo string (`pencil^2|eraser^5`) into items.
 * @throws AmsValidationError naming each malformed item.
 */
export function parseGoodsInfo(goodsInfo: string, field = 'goodsInfo'): { name: string; quantity: number }[] {
  const ctx: Context = { mode: 'wire', prefix: '', issues: [] };
  if (typeof goodsInfo !== 'string') {
    throw new AmsValidationError([{ field, message: `must be a string, not ${showValue(goodsInfo)}` }]);
  }
  const parsed = readGoodsInfo(ctx, goodsInfo, field);
  if (!parsed) throw new AmsValidationError(ctx.issues, { context: 'Invalid goodsInfo' });
  return parsed.items;
}

/** The issue for a direct merchant's ALIPAY_CN payment without chinaExtraTransInfo; `how` says how to give it. */
export function directMerchantIssue(field: string, how: string): ValidationIssue {
  return {
    field,
    message: `is required for a merchant integrated directly with AlipayCN: ${how}, or set integration: 'acquirer' if you integrate through an acquirer`,
    code: 'required',
    source: RULE_SOURCES.chinaExtraRequiredDirect,
  };
}
