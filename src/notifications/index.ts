// The public names of the notifications module: verify, acknowledge, handle (Node and Fetch), dedupe.
export { verifyNotification, verifyNotificationAsync, RAW_BODY_HINT } from './verify';
export type {
  VerifyNotificationInput,
  ClientVerifyNotificationInput,
  NotificationDelivery,
  VerifyWithKeys,
  VerifyWithClient,
  RawBody,
} from './verify';
export type { NotificationClient } from './party';
export type { NotificationHeaders, HeaderGetter } from './headers';
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
export type {
  AmsNotification,
  PaymentNotification,
  RefundNotification,
  CaptureNotification,
  DisputeNotification,
  DisputeNotificationType,
  DisputeOutcome,
  OtherNotification,
  NotificationKind,
  PaymentOutcome,
  SettledOutcome,
  RefundStatus,
} from './schemas';
export { notificationAck, NOTIFICATION_ACK_BODY } from './ack';
export type { NotificationAck, NotificationAckOptions, NotificationAckSignOptions } from './ack';
export { createMemoryNotificationStore, notificationKey } from './dedupe';
export type { NotificationStore, NotificationClaim, MemoryNotificationStoreOptions } from './dedupe';
export { createNotificationHandler } from './node-handler';
export type { NodeNotificationHandler } from './node-handler';
export { createFetchNotificationHandler } from './fetch-handler';
export type { FetchNotificationHandler } from './fetch-handler';
export { createNotificationProcessor } from './processor';
export type {
  NotificationHandlerOptions,
  NotificationCallback,
  NotificationContext,
  NotificationProcessor,
  NotificationRequest,
  NotificationResponse,
} from './processor';
export { matchNotification, assertNotificationMatches } from './match';
export type { NotificationExpectation, NotificationMismatch, NotificationMatch, MatchNotificationOptions } from './match';
