// The payment page the component SDKs (AMSElement, AMSCashierPayment, AMSCheckout) frame, speaking their postMessage
// protocol: onLaunch, then renderComponent from the SDK, then its size and webAppReady, and the buyer's outcome back.
import { HTML_HEADERS } from './answers';
import { inlineJson, layout } from './cashier';
import { SDK_SUBMIT_OPERATION } from './mgw';
import type { GatewayReply, GatewayRequest } from './types';
import { COMPONENT_PAGE_PATHS, MGW_PATH } from './web-sdk';

/** Whether a path is one of the component SDKs' payment pages. */
export function isComponentPagePath(pathname: string): boolean {
  return COMPONENT_PAGE_PATHS.some((re) => re.test(pathname));
}

/**
 * The protocol, as the package's code shows it: every message is a JSON string. The page sends `{ name: 'APP_TO_SDK',
 * instanceId, context: { event, data } }` to its parent (the SDK drops messages from another origin than the page's
 * or with another instanceId, taken from the page's URL). The SDK answers `{ name: 'SDK_TO_APP', context: { event,
 * data } }`. Order: the page's `onLaunch`; the SDK's `renderComponent` (its data: `queryResult`, the answer to the
 * session query; `paymentSessionData`; `sessionResult`, the decoded session); the page's `onSizeChanged` (`height`)
 * and `webAppReady` (`{ source: 'payment' }`), which AMSElement must see within 10 s of mount; and on the buyer's
 * payment an `onEventCallback` with `{ code: 'SDK_PAYMENT_…', message, result }`, which the SDK hands to the merchant.
 * A preload frame (`isPreload=true`, no instanceId) stays silent.
 */
function pageScript(): string {
  return `(() => {
  const params = new URLSearchParams(location.search);
  const instanceId = params.get('instanceId') || '';
  if (params.get('isPreload') === 'true' || !instanceId) { document.body.dataset.state = 'preload'; return; }
  let sdkOrigin = '*';
  try { sdkOrigin = new URL(params.get('refUrl') || '').origin; } catch {}
  const $ = (id) => document.getElementById(id);
  const send = (event, data) => window.parent.postMessage(JSON.stringify({ name: 'APP_TO_SDK', instanceId, context: { event, data } }), sdkOrigin);
  let session = '';
  let config;
  const resized = () => send('onSizeChanged', { height: Math.max(document.documentElement.scrollHeight, 120), source: 'payment' });
  function render(data) {
    const query = data.queryResult || {};
    session = data.paymentSessionData || '';
    config = (data.sessionResult || {}).paymentSessionConfig;
    document.body.dataset.state = query.success ? 'ready' : 'error';
    if (!query.success) {
      $('status').textContent = 'The session could not be loaded: ' + (query.errorCode || 'no answer');
    } else {
      const view = query.paymentAmountView || {};
      $('amount').textContent = view.formattedValue + ' ' + view.currency;
      $('status').textContent = query.paymentStatus || '';
      $('methods').textContent = (query.paymentMethods || []).map((m) => m.paymentMethodName || m.paymentMethodType).join(', ');
      $('pay').hidden = query.paymentStatus !== 'PROCESSING';
    }
    resized();
    send('webAppReady', { source: 'payment' });
  }
  window.addEventListener('message', (e) => {
    if (e.source !== window.parent || (sdkOrigin !== '*' && e.origin !== sdkOrigin)) return;
    let message;
    try { message = JSON.parse(e.data); } catch { return; }
    if (!message || message.name !== 'SDK_TO_APP' || !message.context) return;
    if (message.context.event === 'renderComponent') render(message.context.data || {});
  });
  $('pay').addEventListener('click', async () => {
    $('pay').disabled = true;
    let answer;
    try {
      const res = await fetch(${inlineJson(MGW_PATH)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Operation-Type': ${inlineJson(SDK_SUBMIT_OPERATION)} },
        body: JSON.stringify([{ paymentSessionData: session, paymentSessionConfig: config }]),
      });
      answer = await res.json();
    } catch (err) {
      answer = { success: false, errorCode: 'NETWORK', errorMessage: String(err) };
    }
    const status = answer.success ? answer.paymentStatus : '';
    const code = !answer.success ? 'SDK_PAYMENT_ERROR' : status === 'SUCCESS' ? 'SDK_PAYMENT_SUCCESSFUL' : status === 'FAIL' ? 'SDK_PAYMENT_FAIL' : 'SDK_PAYMENT_PROCESSING';
    const message = answer.success ? answer.paymentResultMessage : answer.errorMessage;
    $('status').textContent = code + ': ' + message;
    $('pay').hidden = status === 'SUCCESS' || status === 'FAIL';
    $('pay').disabled = false;
    send('onEventCallback', { code, message, result: { paymentStatus: status } });
  });
  send('onLaunch', { source: 'payment' });
})();`;
}

/** The page: static HTML filled in by renderComponent (the page's URL carries no session). */
export function handleComponentPageRequest(req: GatewayRequest): GatewayReply {
  if (req.method !== 'GET') return { status: 405, headers: { allow: 'GET', 'content-type': 'text/plain' }, body: 'GET only' };
  const body = layout(
    'Local simulated payment page',
    `<h1>Local simulated payment page</h1>
<div class="muted">A stand-in for Antom's payment page, served by the embedded gateway on this machine.</div>
<div class="amount" id="amount"></div>
<p class="muted">Methods: <span id="methods"></span></p>
<span class="status" id="status">loading</span>
<div class="actions"><button class="pay" type="button" id="pay" hidden>Pay with test account</button></div>`,
    { script: pageScript() },
  );
  return { status: 200, headers: HTML_HEADERS, body };
}
