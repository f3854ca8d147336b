// The `ams-cashier/notifications` entry: what lies behind the root's notification names (which live in the root
// only): the notification schemas, a handler for any framework, the acknowledgement body, the raw-body hint.
export { RAW_BODY_HINT } from './verify';
export type { NotificationDelivery, VerifyWithKeys, VerifyWithClient } from './verify';
export type { NotificationClient } from './party';
export type { HeaderGetter } from './headers';
import {
  PaymentNotificationSchema as paymentNotificationSchema,
  RefundNotificationSchema as refundNotificationSchema,
  CaptureNotificationSchema as captureNotificationSchema,
  DisputeNotificationSchema as disputeNotificationSchema,
  OtherNotificationSchema as otherNotificationSchema,
} from './schemas';
// Built when this entry is imported (the root imports the notification modules themselves and builds none): the very
// objects verifyNotification parses with.
export const PaymentNotificationSchema = /* @__PURE__ */ paymentNotificationSchema();
export const RefundNotificationSchema = /* @__PURE__ */ refundNotificationSchema();
export const CaptureNotificationSchema = /* @__PURE__ */ captureNotificationSchema();
export const DisputeNotificationSchema = /* @__PURE__ */ disputeNotificationSchema();
export const OtherNotificationSchema = /* @__PURE__ */ otherNotificationSchema();
export { DISPUTE_NOTIFICATION_TYPES, DISPUTE_JUDGED_RESULTS } from './schemas';
export type { DisputeNotificationType, RefundStatus } from './schemas';
export { NOTIFICATION_ACK_BODY } from './ack';
export type { NotificationAckSignOptions } from './ack';
export type { MemoryNotificationStoreOptions } from './dedupe';
export { createNotificationProcessor } from './processor';
export type { NotificationProcessor, NotificationRequest, NotificationResponse } from './processor';
