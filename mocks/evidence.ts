// The documents of a dispute at the gateway: the prefilled defense template (a one-page PDF) and the format of a supplied file.
import type { DisputeRecord } from './types';

/** PDF string literals take printable ASCII; `\`, `(` and `)` are escaped, anything else becomes `?`. */
function pdfText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`);
}

/**
 * A valid one-page PDF (Helvetica, one line per entry) with its cross-reference table, the way downloadDisputeEvidence
 * gives Antom's template "with prefilled transaction and payment information related to the dispute".
 */
export function disputeTemplatePdf(d: DisputeRecord): Buffer {
  const lines = [
    'Dispute defense letter (template, embedded gateway)',
    `Dispute ID: ${d.disputeId}`,
    `Payment ID: ${d.paymentId}`,
    `Payment request ID: ${d.paymentRequestId}`,
    `Disputed amount: ${d.disputeAmount.value} ${d.disputeAmount.currency} (minor units)`,
    `Reason: ${d.disputeReasonCode} ${d.disputeReasonMsg} (${d.disputeSource})`,
    `Defense due: ${d.defenseDueTime}`,
    'Evidence: describe the order, the delivery and your contact with the buyer.',
  ];
  const content = lines.map((l, i) => `BT /F1 11 Tf 50 ${790 - i * 18} Td (${pdfText(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/**
 * The `disputeEvidenceFormat` of a supplied document, by its first bytes: PDF (`%PDF`), JPG (FF D8 FF), ZIP (`PK`, a
 * .docx too: the bytes cannot tell them apart), WORD (the OLE header of a .doc); anything else is answered as PDF,
 * the format Antom asks for.
 */
export function evidenceFormatOf(base64: string): 'PDF' | 'WORD' | 'ZIP' | 'JPG' {
  const head = Buffer.from(base64.slice(0, 12), 'base64');
  if (head.subarray(0, 4).toString('latin1') === '%PDF') return 'PDF';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPG';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'ZIP';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return 'WORD';
  return 'PDF';
}
