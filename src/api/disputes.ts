// The dispute APIs (acceptDispute, supplyDefenseDocument, downloadDisputeEvidence) and inquireExchangeRate: request checks and their calls. Pure.
import type { ValidationIssue } from '../errors';
import { collectIssues } from '../schemas/parse';
import {
  AcceptDisputeRequest,
  DisputeResolutionResponse,
  DownloadDisputeEvidenceRequest,
  DownloadDisputeEvidenceResponse,
  SupplyDefenseDocumentRequest,
} from '../schemas/disputes';
import { InquireExchangeRateRequest, InquireExchangeRateResponse } from '../schemas/exchange-rate';
import type { CallSpec } from './call';
import { assertNoIssues } from './requests';

/** Every problem with an acceptDispute request: one disputeId of at most 64 characters. */
export function acceptDisputeRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(AcceptDisputeRequest(), input).issues;
}

/** Every problem with a supplyDefenseDocument request: the disputeId, and the document as padded base64 of at most 1 000 000 characters. */
export function supplyDefenseDocumentRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(SupplyDefenseDocumentRequest(), input).issues;
}

/** Every problem with a downloadDisputeEvidence request: the disputeId and which document. */
export function downloadDisputeEvidenceRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(DownloadDisputeEvidenceRequest(), input).issues;
}

/** Every problem with an inquireExchangeRate request (schema only: it reads, it creates nothing). */
export function inquireExchangeRateRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(InquireExchangeRateRequest(), input).issues;
}

// None of these APIs has a request id of yours: the disputeId names what acceptDispute and supplyDefenseDocument act
// on, so a retry with the same body can never act twice (Antom answers a repeat F REPEAT_REQUEST), and the echoed
// disputeId of a signed answer must be the one sent.

/** The call for acceptDispute, checked. */
export function acceptDisputeCall(request: unknown): CallSpec<ReturnType<typeof DisputeResolutionResponse>> {
  const body = assertNoIssues(AcceptDisputeRequest(), request, acceptDisputeRequestIssues(request), 'acceptDispute');
  return { api: 'acceptDispute', body, ids: { disputeId: body.disputeId }, responseSchema: DisputeResolutionResponse() };
}

/** The call for supplyDefenseDocument, checked (the document is bounded before it is serialized). */
export function supplyDefenseDocumentCall(request: unknown): CallSpec<ReturnType<typeof DisputeResolutionResponse>> {
  const body = assertNoIssues(
    SupplyDefenseDocumentRequest(),
    request,
    supplyDefenseDocumentRequestIssues(request),
    'supplyDefenseDocument',
  );
  return { api: 'supplyDefenseDocument', body, ids: { disputeId: body.disputeId }, responseSchema: DisputeResolutionResponse() };
}

/** The call for downloadDisputeEvidence, checked. */
export function downloadDisputeEvidenceCall(request: unknown): CallSpec<ReturnType<typeof DownloadDisputeEvidenceResponse>> {
  const body = assertNoIssues(
    DownloadDisputeEvidenceRequest(),
    request,
    downloadDisputeEvidenceRequestIssues(request),
    'downloadDisputeEvidence',
  );
  return { api: 'downloadDisputeEvidence', body, ids: { disputeId: body.disputeId }, responseSchema: DownloadDisputeEvidenceResponse() };
}

/** The call for inquireExchangeRate, checked. */
export function inquireExchangeRateCall(request: unknown): CallSpec<ReturnType<typeof InquireExchangeRateResponse>> {
  const body = assertNoIssues(InquireExchangeRateRequest(), request, inquireExchangeRateRequestIssues(request), 'inquireExchangeRate');
  return { api: 'inquireExchangeRate', body, ids: {}, responseSchema: InquireExchangeRateResponse() };
}
