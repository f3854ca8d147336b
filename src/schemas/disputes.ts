// zod schemas for the dispute APIs (acceptDispute, supplyDefenseDocument, downloadDisputeEvidence). Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Result } from './common';
import { openEnum } from './open-enum';

/** Antom's dispute id (from the dispute notification): "Maximum length: 64 characters". */
export const DisputeId = lazy(() => z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'));

/** The most characters of a defense document or evidence file, base64: "Maximum length: 1000000 characters" (750 000 bytes). */
export const MAX_DISPUTE_EVIDENCE_CHARS = 1_000_000;

/**
 * A document as Antom takes and gives it: standard base64 with its `=` padding, on one line. Checked by length first,
 * so a string past the limit is refused before it is scanned.
 */
export const DisputeEvidence = lazy(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_DISPUTE_EVIDENCE_CHARS, `must be at most ${MAX_DISPUTE_EVIDENCE_CHARS} characters of base64 (a file of at most 750 000 bytes)`)
    .refine((s) => s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s), {
      message: "must be the document in standard base64, padded, on one line (in Node: readFileSync(file).toString('base64'))",
    }),
);

export const AcceptDisputeRequest = lazy(() =>
  z.strictObject({
    /** The dispute to accept: the `disputeId` of its DISPUTE_CREATED notification. */
    disputeId: DisputeId(),
  }),
);
export type AcceptDisputeRequest = z.input<ReturnType<typeof AcceptDisputeRequest>>;

export const SupplyDefenseDocumentRequest = lazy(() =>
  z.strictObject({
    disputeId: DisputeId(),
    /** The defense document, base64 (start from the DISPUTE_EVIDENCE_TEMPLATE downloadDisputeEvidence gives). */
    disputeEvidence: DisputeEvidence(),
  }),
);
export type SupplyDefenseDocumentRequest = z.input<ReturnType<typeof SupplyDefenseDocumentRequest>>;

/** What downloadDisputeEvidence can fetch: Antom's prefilled template, or the document you supplied. */
export const DISPUTE_EVIDENCE_TYPES = ['DISPUTE_EVIDENCE_TEMPLATE', 'DISPUTE_EVIDENCE_FILE'] as const;

export const DownloadDisputeEvidenceRequest = lazy(() =>
  z.strictObject({
    disputeId: DisputeId(),
    disputeEvidenceType: z.enum(DISPUTE_EVIDENCE_TYPES, { error: `must be one of ${DISPUTE_EVIDENCE_TYPES.join(', ')}` }),
  }),
);
export type DownloadDisputeEvidenceRequest = z.input<ReturnType<typeof DownloadDisputeEvidenceRequest>>;

/** The answer to acceptDispute and supplyDefenseDocument: on SUCCESS, the dispute and when your response was taken. */
export const DisputeResolutionResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    disputeId: z.string().optional(),
    /** When Antom took the acceptance or the defense document. */
    disputeResolutionTime: z.string().optional(),
  }),
);
export type AcceptDisputeResponse = z.infer<ReturnType<typeof DisputeResolutionResponse>>;
export type SupplyDefenseDocumentResponse = z.infer<ReturnType<typeof DisputeResolutionResponse>>;

/** The formats Antom's reference lists for a downloaded document (the Java SDK knows PDF and WORD only). */
export const DISPUTE_EVIDENCE_FORMATS = ['PDF', 'WORD', 'ZIP', 'JPG'] as const;

export const DownloadDisputeEvidenceResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    /** The document, base64; its size is bounded by the client's `maxResponseBytes` like every answer. */
    disputeEvidence: z.string().optional(),
    disputeEvidenceFormat: openEnum(DISPUTE_EVIDENCE_FORMATS).optional(),
  }),
);
export type DownloadDisputeEvidenceResponse = z.infer<ReturnType<typeof DownloadDisputeEvidenceResponse>>;
