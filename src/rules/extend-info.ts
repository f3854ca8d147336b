// order.extendInfo: the JSON string AMS expects, built, serialized once and checked (its chinaExtraTransInfo included). Pure.
import { AmsValidationError, type ValidationIssue } from '../errors';
import { readChinaExtraTransInfo, type Context } from './china-extra';
import type { ChinaExtraTransInfoInput } from './china-extra-shape';
import { fieldPath, isPlainObject } from './fields';
import { showValue } from './show';

/** Input of `buildExtendInfo`: chinaExtraTransInfo plus any other extendInfo keys, kept as given. */
export interface ExtendInfoInput {
  chinaExtraTransInfo?: ChinaExtraTransInfoInput | undefined;
  [key: string]: unknown;
}

/** Deeper than this, an extendInfo value is not data anyone means to send (and would exhaust the stack). */
const MAX_JSON_DEPTH = 64;

/** Finds what JSON.stringify would silently drop or mangle, so extendInfo carries exactly what was given. */
function checkJsonValue(value: unknown, field: string, issues: ValidationIssue[], seen: unknown[]): void {
  if (seen.length > MAX_JSON_DEPTH) {
    issues.push({ field, message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) issues.push({ field, message: `${value} cannot be written as JSON` });
      return;
    case 'object':
      if (value === null) return;
      if (seen.includes(value)) {
        issues.push({ field, message: 'refers back to itself, which JSON cannot hold' });
        return;
      }
      seen.push(value);
      if (Array.isArray(value)) value.forEach((v, i) => checkJsonValue(v, `${field}[${i}]`, issues, seen));
      else if (isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) if (v !== undefined) checkJsonValue(v, fieldPath(field, k), issues, seen);
      } else issues.push({ field, message: 'must be plain JSON data (a string, number, boolean, null, array or plain object)' });
      seen.pop();
      return;
    default:
      issues.push({ field, message: `a ${typeof value} cannot be written as JSON` });
  }
}

/**
 * Builds the JSON **string** AMS expects in `order.extendInfo`. `chinaExtraTransInfo` may be builder input
 * or an already-built object; it is validated either way. Other keys are written as given, after
 * chinaExtraTransInfo; keys whose value is undefined are left out, as JSON does.
 * @throws AmsValidationError with fields such as `chinaExtraTransInfo.goods[0].quantity`.
 */
export function buildExtendInfo(input: ExtendInfoInput): string {
  if (!isPlainObject(input)) {
    throw new AmsValidationError([{ field: '', message: `extendInfo input must be an object, not ${showValue(input)}` }]);
  }
  const { chinaExtraTransInfo, ...other } = input;
  const issues: ValidationIssue[] = [];
  const out: Record<string, unknown> = {};
  if (chinaExtraTransInfo !== undefined) {
    const ctx: Context = { mode: 'input', prefix: 'chinaExtraTransInfo', issues };
    const info = readChinaExtraTransInfo(ctx, chinaExtraTransInfo);
    if (info) out.chinaExtraTransInfo = info;
  }
  for (const [key, value] of Object.entries(other)) {
    if (value === undefined) continue;
    checkJsonValue(value, key, issues, []);
    out[key] = value;
  }
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid extendInfo' });
  return JSON.stringify(out);
}

/**
 * Whether an order.extendInfo (the JSON string or its object) carries a chinaExtraTransInfo key. Invalid JSON
 * counts as carrying it: checkExtendInfo reports that, and it is not reported twice as missing.
 */
export function hasChinaExtraTransInfo(extendInfo: unknown): boolean {
  let object: unknown = extendInfo;
  if (typeof extendInfo === 'string') {
    try {
      object = JSON.parse(extendInfo);
    } catch {
      return true;
    }
  }
  return isPlainObject(object) && Object.hasOwn(object, 'chinaExtraTransInfo');
}

/**
 * order.extendInfo as it is sent: the string as given, or the object serialized once. A value JSON cannot write
 * (a BigInt, a cycle) is an issue on `field`, never a TypeError; another type gives no text (checkExtendInfo names it).
 */
export function serializeExtendInfo(extendInfo: unknown, field = 'order.extendInfo'): { text?: string; issues: ValidationIssue[] } {
  if (typeof extendInfo === 'string') return { text: extendInfo, issues: [] };
  if (!isPlainObject(extendInfo)) return { issues: [] };
  try {
    return { text: JSON.stringify(extendInfo), issues: [] };
  } catch (e) {
    return {
      issues: [
        {
          field,
          message: `cannot be written as JSON (${e instanceof Error ? e.message : String(e)}): use strings for every value`,
          code: 'invalid_json',
        },
      ],
    };
  }
}

/** The longest order.extendInfo string AMS accepts. */
export const MAX_EXTEND_INFO_LENGTH = 2048;

/**
 * Checks an `order.extendInfo` value: a string holding a JSON object (as sent), or that object itself (the
 * guide shows both forms); when it has chinaExtraTransInfo, that must be valid for its businessType (code,
 * required string fields, goodsInfo well formed, totalQuantity equal to the sum), field by field
 * (`order.extendInfo.chinaExtraTransInfo.goodsInfo`). Absent (undefined) is fine: the field is optional.
 * Returns [] when fine; never throws.
 */
export function checkExtendInfo(extendInfo: unknown, field = 'order.extendInfo'): ValidationIssue[] {
  if (extendInfo === undefined) return [];
  let parsed: unknown = extendInfo;
  if (typeof extendInfo === 'string') {
    try {
      parsed = JSON.parse(extendInfo);
    } catch (e) {
      return [{ field, message: `is not valid JSON (${e instanceof Error ? e.message : String(e)})` }];
    }
  } else if (!isPlainObject(extendInfo)) {
    return [
      {
        field,
        message:
          `must be a string holding JSON or an object, not ${showValue(extendInfo)}: ` +
          'build it with buildExtendInfo({ chinaExtraTransInfo })',
      },
    ];
  }
  if (!isPlainObject(parsed)) {
    return [{ field, message: `must hold a JSON object, not ${Array.isArray(parsed) ? 'an array' : showValue(parsed)}` }];
  }
  if (!Object.hasOwn(parsed, 'chinaExtraTransInfo')) return [];
  const issues: ValidationIssue[] = [];
  readChinaExtraTransInfo({ mode: 'wire', prefix: `${field}.chinaExtraTransInfo`, issues }, parsed.chinaExtraTransInfo);
  return issues;
}
