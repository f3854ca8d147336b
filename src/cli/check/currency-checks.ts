// `check`'s currency lines: each payment currency against the settlement and contract currency (the AlipayCN matrix).
import { checkCurrencies } from '../../rules/currencies';
import type { CheckLine } from './report';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One line per payment currency, or a failure when the list is missing (with the settlement currency's own check). */
export function currencyChecks(c: Record<string, unknown>): CheckLine[] {
  const lines: CheckLine[] = [];
  const methodType = c.paymentMethodType === undefined ? 'ALIPAY_CN' : c.paymentMethodType;
  const settlement = c.settlementCurrency;
  const contract = c.contractSettlementCurrency;
  const pays = c.paymentCurrencies;
  if (!Array.isArray(pays) || pays.length === 0) {
    lines.push({
      id: 'currency.paymentCurrencies',
      status: 'fail',
      title: 'paymentCurrencies given',
      detail: `paymentCurrencies must be a non-empty list such as ["USD", "CNY"] → list every currency you charge buyers in`,
    });
    if (typeof settlement === 'string' || settlement === undefined) {
      const r = checkCurrencies({
        paymentMethodType: methodType as string,
        paymentCurrency: 'CNY',
        settlementCurrency: settlement as string,
        contractSettlementCurrency: contract as string | undefined,
      });
      const own = r.violations.filter((v) => v.field !== 'paymentAmount.currency');
      if (own.length > 0)
        lines.push({
          id: 'currency.settlement',
          status: 'fail',
          title: `settle in ${String(settlement ?? '(missing)')}`,
          detail: own.map((v) => v.message).join(' '),
        });
    }
  } else {
    for (const pay of pays) {
      const r = checkCurrencies({
        paymentMethodType: methodType as string,
        paymentCurrency: pay as string,
        settlementCurrency: settlement as string,
        contractSettlementCurrency: contract as string | undefined,
      });
      const title = `pay in ${typeof pay === 'string' ? pay : JSON.stringify(pay)}, settle in ${str(settlement) ?? '(missing)'}${str(contract) ? ` (contract ${str(contract)})` : ''}`;
      lines.push({
        id: `currency.${typeof pay === 'string' ? pay : String(pay)}`,
        status: r.ok ? 'pass' : 'fail',
        title,
        detail: r.ok ? `allowed for ${String(methodType)}` : r.violations.map((v) => v.message).join(' '),
        ...(r.ok ? {} : { source: [...new Set(r.violations.map((v) => v.source))].join(' | ') }),
      });
    }
  }
  return lines;
}
