// The gateway's cashier page: order summary, amount, a QR code of the payment, and "pay" / "cancel" forms.
import { escapeHtml } from '../src/rules/cashier-redirect';
import qrcode from 'qrcode-generator';
import { fromMinorUnits } from '../src/rules/amounts';

/** Where the cashier lives on the gateway's origin (the real sandbox uses the same path on iopensandbox). */
export const CASHIER_PATH = '/alipaycn/pc/cashier';

export interface CashierView {
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  referenceOrderId: string;
  orderDescription: string;
  amount: { currency: string; value: string };
  status: string;
  /** What the QR code encodes: the cashier URL a phone would open. */
  qrContent: string;
  expiresAt?: string;
  note?: string;
}

export { escapeHtml };

function majorUnits(amount: { currency: string; value: string }): string {
  try {
    return `${fromMinorUnits(amount.value, amount.currency)} ${amount.currency}`;
  } catch {
    return `${amount.value} ${amount.currency} (minor units)`;
  }
}

function qrSvg(content: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(content);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f2f5f9; color: #1f2a37; }
  main { max-width: 420px; margin: 40px auto; background: #fff; border-radius: 12px; padding: 28px;
         box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  h1 { font-size: 18px; margin: 0 0 4px; } .muted { color: #6b7280; font-size: 13px; }
  .amount { font-size: 32px; font-weight: 600; margin: 18px 0 6px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; font-size: 13px; margin: 16px 0; }
  dt { color: #6b7280; } dd { margin: 0; word-break: break-all; }
  .qr { width: 180px; margin: 8px auto; } .qr svg { width: 100%; height: auto; }
  form { display: inline; } .actions { display: flex; gap: 12px; margin-top: 20px; } .actions form { flex: 1; display: flex; }
  button { flex: 1; font-size: 15px; padding: 12px; border-radius: 8px; border: 1px solid #1677ff; cursor: pointer; }
  .pay { background: #1677ff; color: #fff; } .cancel { background: #fff; color: #1677ff; }
  .status { display: inline-block; padding: 2px 8px; border-radius: 999px; background: #eef2ff; font-size: 12px; }
`;

/** How another page shows the cashier: its own buttons and script instead of the forms, a language, a label. */
export interface CashierPageOptions {
  /** Replaces the pay / cancel forms while the payment is open. */
  actions?: string;
  /** An inline script (already safe to place in a <script> element). */
  script?: string;
  /** The page's language (a BCP 47 tag). Default `en`. */
  lang?: string;
  /** A short label beside the status, e.g. "sandbox". */
  badge?: string;
}

/** A page in the cashier's style: title, content, then the footer that says nothing real happens here. */
export function layout(title: string, content: string, options: Pick<CashierPageOptions, 'lang' | 'script'> = {}): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${content}
<p class="muted">ams-cashier embedded gateway — a local stand-in for Alipay's cashier. No real money moves.</p>
</main>${options.script ? `<script>${options.script}</script>` : ''}</body></html>`;
}

/** The cashier page for one payment. Forms post to `<cashier>/pay` and `<cashier>/cancel` unless `options.actions` replaces them. */
export function renderCashierPage(view: CashierView, options: CashierPageOptions = {}): string {
  const open = view.status === 'PROCESSING';
  const actions = open
    ? (options.actions ??
      `<div class="actions">
  <form method="post" action="${CASHIER_PATH}/pay"><input type="hidden" name="paymentId" value="${escapeHtml(view.paymentId)}">
    <button class="pay" type="submit" id="pay">Pay with test account</button></form>
  <form method="post" action="${CASHIER_PATH}/cancel"><input type="hidden" name="paymentId" value="${escapeHtml(view.paymentId)}">
    <button class="cancel" type="submit" id="cancel">Cancel</button></form>
</div>`)
    : `<p>This payment is <strong>${escapeHtml(view.status)}</strong>; there is nothing left to do here.</p>`;
  return layout(
    `Local simulated cashier — ${majorUnits(view.amount)}`,
    `<h1>Local simulated cashier</h1>
<div class="muted" id="simulated">A stand-in for Alipay's cashier, served by the embedded gateway on this machine: pay or cancel with the buttons below.</div>
<div class="amount" id="amount">${escapeHtml(majorUnits(view.amount))}</div>
<span class="status" id="status">${escapeHtml(view.status)}</span>${options.badge ? ` <span class="status" id="badge">${escapeHtml(options.badge)}</span>` : ''}
${view.note ? `<p class="muted">${escapeHtml(view.note)}</p>` : ''}
${actions}
<dl>
  <dt>Order</dt><dd>${escapeHtml(view.orderDescription)}</dd>
  <dt>Reference</dt><dd>${escapeHtml(view.referenceOrderId)}</dd>
  <dt>Merchant</dt><dd>${escapeHtml(view.clientId)}</dd>
  <dt>Payment id</dt><dd>${escapeHtml(view.paymentId)}</dd>
  ${view.expiresAt ? `<dt>Expires</dt><dd>${escapeHtml(view.expiresAt)}</dd>` : ''}
</dl>
<div class="qr" aria-label="QR code of this page's local address">${qrSvg(view.qrContent)}</div>
<p class="muted">The QR code holds this page's local address, as Alipay's would hold its cashier: no Alipay app can pay it.</p>`,
    options,
  );
}

/** A plain page for errors and outcomes without a redirect URL. */
export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** A value as a JavaScript literal that is safe inside an inline <script> (no `</script>`, no line separators). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
