// Exact decimal arithmetic for sums and unit conversions of amounts (reports, reconciliation). Pure.
import { Decimal } from 'decimal.js';

/**
 * Decimal arithmetic that never rounds money: decimal.js rounds to 20 significant digits by default, which would
 * silently change a long amount. Sums and unit conversions of amounts use this.
 */
export const ExactDecimal = Decimal.clone({ precision: 1_000 });
