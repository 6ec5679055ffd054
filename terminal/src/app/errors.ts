/**
 * Domain failures of the terminal's use cases and their HTTP mapping. Use cases return `Result` values with
 * stable SCREAMING_SNAKE codes; the routers turn a failure into RFC 9457 problem+json with the status below.
 */
import { problem, HttpProblem, type ProblemDetails } from '@tpv/shared/problem';
import { domainError, err, type DomainError, type Err } from '@tpv/shared/result';

export type Failure = DomainError<string>;

export const failure = (code: string, message: string, details?: Record<string, unknown>): Err<Failure> =>
  err(domainError(code, message, details));

const STATUS: Record<string, number> = {
  AUTH_REQUIRED: 401,
  PIN_INVALID: 401,
  TERMINAL_LOCKED: 401,
  PIN_RATE_LIMITED: 429,
  PIN_AMBIGUOUS: 409,
  SUPERVISOR_REQUIRED: 403,
  SUPERVISOR_PIN_INVALID: 403,
  CASH_DIFFERENCE_NEEDS_SUPERVISOR: 403,
  MANAGER_REQUIRED: 403,
  BARCODE_UNKNOWN: 404,
  PRODUCT_UNKNOWN: 404,
  LINE_UNKNOWN: 404,
  TICKET_UNKNOWN: 404,
  DELIVERY_NOTE_UNKNOWN: 404,
  DELIVERY_ALREADY_RECEIVED: 409,
  DOCUMENT_INVALID: 400,
  CUSTOMER_UNKNOWN: 404,
  CUSTOMER_INVALID: 422,
  CUSTOMER_NIF_TAKEN: 409,
  CUSTOMER_CARD_TAKEN: 409,
  PARKED_UNKNOWN: 404,
  CASH_SESSION_NOT_OPEN: 409,
  CASH_SESSION_ALREADY_OPEN: 409,
  CART_EMPTY: 409,
  CART_NOT_EMPTY: 409,
  CART_CLOSED: 409,
  PRODUCT_INACTIVE: 409,
  CUSTOMER_INACTIVE: 409,
  CREDIT_LIMIT_EXCEEDED: 409,
  CUSTOMER_ON_ACCOUNT_BLOCKED: 409,
  PROMOTION_EXPIRED: 409,
  PROMOTIONS_CHANGED: 409,
  CASH_OUT_EXCEEDS_DRAWER: 409,
  RETURN_EXCEEDS_SOLD: 409,
  NOT_A_SALE: 409,
  PRINTER_NOT_READY: 409,
  DRAWER_FAILED: 409,
  DEVICES_NOT_CONFIGURABLE: 409,
  SIMPLIFIED_INVOICE_OVER_LIMIT: 422,
  INVOICE_NIF_INVALID: 422,
  INVOICE_RECIPIENT_INCOMPLETE: 422,
  TICKET_ALREADY_SUBSTITUTED: 409,
  NOT_A_SIMPLIFIED_TICKET: 409,
  CASH_TENDERED_IMPLAUSIBLE: 422,
  TERMINAL_NOT_INSTALLED: 503,
  // Product blocks (issue 17): HQ blocked the product (or its lot): the cashier sets the unit aside.
  PRODUCT_BLOCKED: 409,
  // Gift receipts (issue 19): past the store's exchange period (409); a gift receipt's refund asked in cash or by card (422).
  GIFT_EXCHANGE_EXPIRED: 409, GIFT_REFUND_AS_VOUCHER: 422,
  // Working-time record (issue 16): the clock event breaks the rules (shared/src/people/time-clock.ts).
  ALREADY_CLOCKED_IN: 422, NOT_CLOCKED_IN: 422, ALREADY_ON_BREAK: 422, NOT_ON_BREAK: 422, SHIFT_TOO_LONG: 422, OUT_OF_ORDER: 422,
  // Corrections at the till: HQ's refusals (not theirs / not waiting, not this store's staff, already decided); HQ away is HQ_UNAVAILABLE.
  CORRECTION_UNKNOWN: 404, NOT_THIS_STORE: 403, NOT_AN_EMPLOYEE: 403, EMPLOYEE_LEFT: 403, ALREADY_APPROVED: 409, REJECTED: 409, MALFORMED: 422, CORRECTION_REFUSED: 409,
  // E-receipt by e-mail: no customer / address on the ticket or the record (409), HQ away (503).
  NO_CUSTOMER: 409, NO_EMAIL: 409, MAIL_NOT_CONFIGURED: 503, HQ_UNAVAILABLE: 503,
  // Gift vouchers (issue 15).
  VOUCHER_UNKNOWN: 404, VOUCHER_AUTHORIZATION_UNKNOWN: 404, VOUCHER_SPENT: 409, VOUCHER_EXPIRED: 409, VOUCHER_BLOCKED: 409,
  VOUCHER_INSUFFICIENT: 409, VOUCHER_OFFLINE_CAP: 409, VOUCHER_NOT_AUTHORIZED: 409, VOUCHER_CODE_INVALID: 422, VOUCHER_AMOUNT_INVALID: 422, VOUCHER_MALFORMED: 422,
  // Loyalty (issue 15): the cart or the member is not in a state to redeem (409); the request itself is wrong (422).
  LOYALTY_NO_CUSTOMER: 409, LOYALTY_NOT_MEMBER: 409, LOYALTY_INACTIVE: 409, LOYALTY_INSUFFICIENT_POINTS: 409, LOYALTY_OFFLINE_CAP: 409,
  LOYALTY_EXCEEDS_TICKET: 409, LOYALTY_BELOW_MINIMUM: 422, LOYALTY_POINTS_INVALID: 422,
  // Office notices (issue 16): not at this till, or not for the person logged in.
  NOTICE_UNKNOWN: 404,
  // Tasks (issue 16): not a task of this store (or already done and gone), or not one of its items.
  TASK_UNKNOWN: 404, TASK_ITEM_UNKNOWN: 422,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not authorised',
  404: 'Not found',
  409: 'Conflict',
  422: 'Cannot be processed',
  429: 'Too many attempts',
  503: 'Not available',
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 400;
}

export function problemOf(e: DomainError<string>): ProblemDetails {
  const status = statusOf(e.code);
  const extra: Record<string, unknown> = { detail: e.message };
  if (e.details) {
    for (const [k, v] of Object.entries(e.details)) if (!(k in extra) && k !== 'errors') extra[k] = v;
  }
  return problem(status, e.code, TITLES[status] ?? 'Error', extra);
}

/** Throws the failure as an HttpProblem (for routers: the runtime's error handler answers it). */
export function raise(e: DomainError<string>): never {
  throw new HttpProblem(problemOf(e));
}

/** Unwraps a use-case result at the edge: the value, or a thrown problem. */
export function orProblem<T>(r: { ok: true; value: T } | { ok: false; error: DomainError<string> }): T {
  if (r.ok) return r.value;
  return raise(r.error);
}
