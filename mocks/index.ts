// ams-cashier/mocks: the embedded AMS gateway on a real loopback server, with its types; no msw (that is mocks/msw.ts).
export { startAmsGateway } from './server';
export type { AmsGateway, StartGatewayOptions } from './server';
export { createGatewayCore, GatewayCore } from './core';
export type {
  DisputeOptions,
  DisputeRecord,
  GatewayOptions,
  MerchantConfig,
  GatewayRequest,
  GatewayReply,
  GatewayEvent,
  GatewayEventType,
  PaymentRecord,
  PaymentStatus,
  RefundRecord,
  WaitForNotificationOptions,
} from './core';
export { GATEWAY_APIS, FAULT_NAMES, FaultScript } from './faults';
export { DECLARATION_STATUSES } from './apis';
export { DISPUTE_SCHEDULE_MS } from './disputes';
export { CNY_RATES, QUOTE_VALIDITY_MS } from './fx';
export type { GatewayApi, FaultName, FaultObject, FaultSpec } from './faults';
export type { CredentialOptions, CredentialSettings } from './credentials';
export { MAGIC_AMOUNTS, REFUND_MAGIC_AMOUNTS, magicBehaviour } from './magic';
export type { MagicBehaviour } from './magic';
export { NOTIFY_RETRY_SCHEDULE_MS, ACK_BODY, GATEWAY_NOTIFY_TYPES } from './notifier';
export type { NotificationDelivery, DeliveryAttempt, DeliveryState, GatewayNotifyType } from './notifier';
export { REWRITE_LIMITS } from './rewrite';
export type { RewriteSet } from './rewrite';
export { CASHIER_PATH } from './cashier';
export { CHECKOUT_PAGE_PATH, MGW_PATH, SDK_PAGE_HOSTS, SDK_RPC_HOSTS, SDK_REGION_CODES } from './web-sdk';
export { buildGatewayReports } from './reports';
export type { GatewayReportsOptions, GatewayReportFile } from './reports';
export { testNotificationEndpoint, DEFAULT_NOTIFY_WAIT_MS } from '../src/notify-test/run';
export type { NotificationEndpointTestOptions, NotificationEndpointReport, ScenarioResult, TestOrder } from '../src/notify-test/run';
