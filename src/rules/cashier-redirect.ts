// From a pay answer to the buyer: the cashier URL and an auto-submitting HTML form, as the cashier guide prescribes. Pure.
import { showValue } from './show';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { RULE_SOURCES } from './sources';

/**
 * `redirectActionForm` as AMS returns it: `parameters` is a JSON string (an object is accepted too). Optional fields
 * take `undefined` as well, so a pay answer is accepted as it is under `exactOptionalPropertyTypes`.
 */
export interface RedirectActionFormInput {
  method?: string | undefined;
  parameters?: string | Record<string, unknown> | undefined;
  redirectUrl: string;
}

/** The part of a pay answer that says where the buyer goes. */
export interface PayAnswerRedirectInput {
  redirectActionForm?: RedirectActionFormInput | undefined;
  normalUrl?: string | undefined;
}

export interface CashierRedirectOptions {
  /** A CSP nonce for the page's one inline script (`<script nonce="…">`). */
  nonce?: string | undefined;
}

export interface CashierRedirect {
  method: 'GET' | 'POST';
  /** For GET: `redirectUrl` with every parameter added to its query; send the buyer here (an HTTP 302, a link). */
  url?: string;
  /** A small page whose form submits itself to the cashier with every parameter, for server-rendered pages. */
  html: string;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Where to send the buyer after `pay`: give the pay answer (or its `redirectActionForm`). The guide: "Make a GET
 * operation with redirectUrl as the action value. Submit all parameters with an HTML form." `url` is that GET as
 * one URL; `html` is the form, which submits itself (GET or POST). Without a form, the answer's `normalUrl` is used.
 * Only https URLs are accepted, except on loopback hosts (the embedded gateway, local tests).
 * @throws AmsValidationError naming the field (`redirectActionForm.parameters`, `normalUrl`, …).
 */
export function cashierRedirect(
  answer: PayAnswerRedirectInput | RedirectActionFormInput,
  options: CashierRedirectOptions = {},
): CashierRedirect {
  if (answer === null || typeof answer !== 'object') {
    throw invalid([{ field: 'answer', message: 'give the pay answer or its redirectActionForm (an object)', code: 'invalid_type' }]);
  }
  const isForm = 'redirectUrl' in answer;
  const form = isForm ? answer : answer.redirectActionForm;
  const prefix = isForm ? '' : 'redirectActionForm.';
  if (form !== undefined && form !== null) return fromForm(form, prefix, options);

  const normalUrl = (answer as PayAnswerRedirectInput).normalUrl;
  if (normalUrl === undefined) {
    throw invalid([
      {
        field: 'redirectActionForm',
        message: 'the answer has neither redirectActionForm nor normalUrl: there is no cashier to send the buyer to',
        code: 'required',
      },
    ]);
  }
  const url = checkedUrl(normalUrl, 'normalUrl');
  // The URL as checked and serialized (never the raw string: a CR LF in it would split a Location header).
  const href = url.href;
  const params = [...url.searchParams.entries()];
  url.search = '';
  return { method: 'GET', url: href, html: page('GET', url.href, params, options) };
}

function fromForm(form: RedirectActionFormInput, prefix: string, options: CashierRedirectOptions): CashierRedirect {
  const issues: ValidationIssue[] = [];
  const methodRaw = form.method ?? 'GET';
  const method = typeof methodRaw === 'string' ? methodRaw.toUpperCase() : '';
  if (method !== 'GET' && method !== 'POST')
    issues.push({ field: `${prefix}method`, message: `must be GET or POST, not ${showValue(methodRaw)}`, code: 'invalid_value' });
  let url: URL | undefined;
  try {
    url = checkedUrl(form.redirectUrl, `${prefix}redirectUrl`);
  } catch (err) {
    if (!(err instanceof AmsValidationError)) throw err;
    issues.push(...err.issues);
  }
  const params = parameterEntries(form.parameters, `${prefix}parameters`, issues);
  if (issues.length > 0 || url === undefined) throw invalid(issues);

  if (method === 'POST') return { method, html: page('POST', url.href, params, options) };
  // A GET form replaces the action's query with its fields: carry the URL's own query as fields too.
  const target = new URL(url.href);
  for (const [k, v] of params) target.searchParams.append(k, v);
  const fields = [...url.searchParams.entries(), ...params];
  url.search = '';
  return { method: 'GET', url: target.href, html: page('GET', url.href, fields, options) };
}

function checkedUrl(value: unknown, field: string): URL {
  if (typeof value !== 'string' || value === '')
    throw invalid([{ field, message: 'must be the cashier URL (a string)', code: 'required' }]);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid([{ field, message: `is not an absolute URL (${showValue(value)})`, code: 'invalid_url' }]);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) return url;
  throw invalid([
    {
      field,
      message: `must be https (got ${url.protocol.replace(':', '')} for ${url.hostname.slice(0, 64)}); plain http is accepted only for a local gateway on loopback`,
      code: 'insecure_url',
    },
  ]);
}

/** `parameters` as name/value pairs: a JSON object (string or object); non-string values are written as JSON. */
function parameterEntries(parameters: unknown, field: string, issues: ValidationIssue[]): Array<[string, string]> {
  if (parameters === undefined || parameters === '') return [];
  let object: unknown = parameters;
  if (typeof parameters === 'string') {
    try {
      object = JSON.parse(parameters);
    } catch {
      issues.push({
        field,
        message: 'is not valid JSON: AMS sends a JSON object as a string',
        code: 'invalid_json',
        source: RULE_SOURCES.redirectForm,
      });
      return [];
    }
  }
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    issues.push({
      field,
      message: `must hold a JSON object of parameters, not ${Array.isArray(object) ? 'an array' : showValue(object)}`,
      code: 'invalid_type',
      source: RULE_SOURCES.redirectForm,
    });
    return [];
  }
  return Object.entries(object as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

/**
 * The form submits itself through the prototype's `submit`: a parameter named `submit` (or `action`, `method`, `id`)
 * becomes a property of the form that hides the method, and `form.submit()` would then throw.
 */
function page(method: 'GET' | 'POST', action: string, fields: Array<[string, string]>, options: CashierRedirectOptions): string {
  const inputs = fields.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
  const nonce = options.nonce === undefined ? '' : ` nonce="${escapeHtml(options.nonce)}"`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Redirecting to Alipay…</title></head>
<body>
<form id="ams-cashier-redirect" method="${method.toLowerCase()}" action="${escapeHtml(action)}">
${inputs}
<noscript><button type="submit">Continue to Alipay</button></noscript>
</form>
<script${nonce}>HTMLFormElement.prototype.submit.call(document.getElementById('ams-cashier-redirect'));</script>
</body></html>
`;
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function invalid(issues: ValidationIssue[]): AmsValidationError {
  return new AmsValidationError(issues, { context: 'cashierRedirect' });
}
