// The browser half of Antom's web checkout: mount @alipay/ams-checkout on the session the shop created. The class
// follows the session's productScene; the shop serves the SDK's bundle, which defines the classes on `window`.
const SDK_CLASS_BY_SCENE = {
  CHECKOUT_PAYMENT: 'AMSCheckoutPage',
  ELEMENT_PAYMENT: 'AMSElement',
  CASHIER_PAYMENT: 'AMSCashierPayment',
};
const { scene, environment } = window.shopConfig;
const show = (id, text) => (document.getElementById(id).textContent = text);

async function checkOut() {
  const item = document.getElementById('item').value;
  show('event', 'none yet');
  show('order', 'no order yet');
  const res = await fetch('/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item, productScene: scene }),
  });
  const { sessionData, paymentRequestId, error } = await res.json();
  if (!res.ok) return show('event', `the shop could not create a session: ${error}`);

  const showOrder = async () => {
    const order = await (await fetch(`/order?paymentRequestId=${encodeURIComponent(paymentRequestId)}`)).json();
    show('order', order.outcome);
  };
  // A plain function: the component SDKs refuse an async one ("Parameter type should be function").
  const onEventCallback = (event) => {
    show('event', event.code);
    // The event is for the page; the order's state comes from the shop, which trusts the signed notification only.
    if (typeof event.code === 'string' && event.code.startsWith('SDK_PAYMENT_')) showOrder().catch(() => undefined);
  };
  const SdkClass = window[SDK_CLASS_BY_SCENE[scene]];
  if (scene === 'ELEMENT_PAYMENT') {
    const element = new SdkClass({ environment, locale: 'en_US', sessionData, onEventCallback });
    const mounted = await element.mount({ type: 'payment' }, '#checkout');
    if (mounted && mounted.error) show('event', `mount failed: ${mounted.error.code}`);
  } else {
    const component = new SdkClass({ environment, locale: 'en_US', onEventCallback });
    await component.mountComponent({ sessionData }, '#checkout');
  }
}

document.getElementById('buy').addEventListener('click', () => {
  checkOut().catch((err) => show('event', `error: ${err}`));
});
