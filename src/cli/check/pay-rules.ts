// `check`'s AlipayCN rule lines: the integration (direct or acquirer) and a sample pay request run through pay()'s own rules.
import { payRequestIssues, payRequestWarnings, type Integration } from '../../api/pay';
import { RULE_SOURCES } from '../../rules/sources';
import type { CheckLine, ConfigFileReader } from './report';

/**
 * Lines for `integration` and `payRequestFile`. The sample request is checked with exactly what `pay()` refuses
 * (one home for the rules), with this config's integration and contract currency; what no source forbids but is
 * likely a mistake comes back as a warning. A stored sample is not being sent now, so the expiry rule (less than
 * 10 minutes after sending) is left to pay().
 */
export function payRuleChecks(c: Record<string, unknown>, read: ConfigFileReader): CheckLine[] {
  const lines: CheckLine[] = [];
  let integration: Integration = 'direct';
  if (c.integration !== undefined && c.integration !== 'direct' && c.integration !== 'acquirer') {
    lines.push({
      id: 'rules.integration',
      status: 'fail',
      title: 'integration is direct or acquirer',
      detail: `${JSON.stringify(c.integration)} → use "direct" (integrated with AlipayCN yourself) or "acquirer"`,
    });
  } else {
    integration = c.integration ?? 'direct';
    lines.push({
      id: 'rules.integration',
      status: 'pass',
      title: `integration: ${integration}${c.integration === undefined ? ' (default)' : ''}`,
      detail:
        integration === 'direct'
          ? 'every ALIPAY_CN payment must carry order.extendInfo.chinaExtraTransInfo (pay() refuses it without)'
          : 'order.extendInfo.chinaExtraTransInfo is optional, and checked when present',
      source: RULE_SOURCES.chinaExtraRequiredDirect,
    });
  }

  const file = c.payRequestFile;
  if (file === undefined) {
    lines.push({
      id: 'rules.request',
      status: 'skip',
      title: 'sample pay request',
      detail: 'no payRequestFile given → give one of your pay request bodies (JSON) to check it against every rule',
    });
    return lines;
  }
  if (typeof file !== 'string' || file === '') {
    lines.push({
      id: 'rules.request',
      status: 'fail',
      title: 'sample pay request',
      detail: 'payRequestFile must be a file path → give the path of a pay request body (JSON)',
    });
    return lines;
  }
  const got = read(file);
  if ('error' in got) {
    lines.push({
      id: 'rules.request',
      status: 'fail',
      title: `sample pay request loads (${file})`,
      detail: `${got.error} → fix payRequestFile (paths are relative to the config file)`,
    });
    return lines;
  }
  let request: unknown;
  try {
    request = JSON.parse(got.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    lines.push({
      id: 'rules.request',
      status: 'fail',
      title: `sample pay request loads (${file})`,
      detail: `not valid JSON (${err instanceof Error ? err.message : String(err)}) → give a pay request body as JSON`,
    });
    return lines;
  }
  const contract = typeof c.contractSettlementCurrency === 'string' ? c.contractSettlementCurrency : undefined;
  const issues = payRequestIssues(request, undefined, { integration, contractSettlementCurrency: contract });
  for (const issue of issues) {
    lines.push({
      id: `rules.request.${issue.field}`,
      status: 'fail',
      title: `sample pay request: ${issue.field}`,
      detail: issue.message,
      ...(issue.source ? { source: issue.source } : {}),
    });
  }
  for (const warning of payRequestWarnings(request)) {
    lines.push({
      id: `rules.request.${warning.field}`,
      status: 'warn',
      title: `sample pay request: ${warning.field}`,
      detail: `${warning.message} (no source forbids it: a warning, not a refusal)`,
    });
  }
  if (issues.length === 0)
    lines.push({ id: 'rules.request', status: 'pass', title: `sample pay request (${file})`, detail: 'passes every rule pay() applies' });
  return lines;
}
