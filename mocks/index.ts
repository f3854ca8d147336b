// ams-cashier/mocks: the embedded AMS gateway on a real loopback server, with its types; no msw (that is mocks/msw.ts).
export { startAmsGateway } from './server';
export type { AmsGateway, StartGatewayOptions } from './server';
export { createGatewayCore, GatewayCore } from './core';
export type {
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
export type { GatewayApi, FaultName, FaultObject, FaultSpec } from './faults';
export type { CredentialOptions, CredentialSettings } from './credentials';
export { MAGIC_AMOUNTS, REFUND_MAGIC_AMOUNTS, magicBehaviour } from './magic';
export type { MagicBehaviour } from './magic';
export { NOTIFY_RETRY_SCHEDULE_MS, ACK_BODY, GATEWAY_NOTIFY_TYPES } from './notifier';
export type { NotificationDelivery, DeliveryAttempt, DeliveryState, GatewayNotifyType } from './notifier';
export { REWRITE_LIMITS } from './rewrite';
export type { RewriteSet } from './rewrite';
export { CASHIER_PATH } from './cashier';
export { buildGatewayReports } from './reports';
export type { GatewayReportsOptions, GatewayReportFile } from './reports';
