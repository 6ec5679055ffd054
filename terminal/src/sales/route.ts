import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { PriceCentsSchema } from '@tpv/shared/wire/limits';
import { DiscountSchema, InvoiceAddressSchema } from '@tpv/shared/wire/ticket';
import { orProblem } from '../app/errors';
import { actor, handle } from '../app/http';
import type { CartService } from './cart-service';
import type { Checkout } from './checkout';
import type { Substitutions } from './substitution';
import { eReceiptOf, type ReceiptRenderer } from '../printing/route';

const Pin = z.string().min(1).max(16);
const ScanBody = z.strictObject({ code: z.string().min(1).max(128) });
const AddBody = z.strictObject({ productId: z.string().min(1).max(64), units: z.int().optional(), grams: z.int().optional() });
const PatchBody = z.strictObject({
  units: z.int().optional(),
  grams: z.int().optional(),
  discount: DiscountSchema.nullable().optional(),
  unitPriceCents: PriceCentsSchema.optional(),
  supervisorPin: Pin.optional(),
});
const VoidBody = z.strictObject({ supervisorPin: Pin.optional() });
/** The cart the cashier sees: a cart paid meanwhile is not cancelled by a late tap. */
const CancelBody = z.strictObject({ cartId: z.string().min(1).max(64), supervisorPin: Pin.optional() });
const DiscountBody = z.strictObject({ discount: DiscountSchema.nullable(), supervisorPin: Pin.optional() });
const CustomerBody = z.strictObject({ customerId: z.string().min(1).max(64).nullable() });
const ParkBody = z.strictObject({ label: z.string().max(40).optional() });
const Amount = z.int();
export const InvoiceRecipientBody = z.strictObject({
  customerId: z.string().min(1).max(64).optional(),
  nif: z.string().trim().min(1).max(20).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  address: InvoiceAddressSchema,
});
const CheckoutBody = z.strictObject({
  payments: z
    .array(
      z.discriminatedUnion('method', [
        z.strictObject({ method: z.literal('cash'), amountCents: Amount }),
        z.strictObject({ method: z.literal('card'), amountCents: Amount, reference: z.string().trim().min(1, 'card payment needs the terminal reference').max(64) }),
        z.strictObject({ method: z.literal('voucher'), amountCents: Amount, code: z.string().trim().min(1, 'voucher payment needs the voucher code').max(64) }),
        z.strictObject({ method: z.literal('on_account'), amountCents: Amount }),
      ]),
    )
    .min(1, 'at least one payment')
    .max(10),
  /** Issue a full invoice (F1) to this recipient instead of a simplified ticket. */
  invoice: InvoiceRecipientBody.optional(),
  /** Issue 19: false when the customer chooses no paper (the e-receipt QR is shown instead). */
  paper: z.boolean().optional(),
});

export function salesRouter(guard: RequestHandler, cart: CartService, checkout: Checkout, receipts: ReceiptRenderer): Router {
  const r = Router();
  r.get('/api/cart', guard, (_req, res) => {
    res.json(cart.priced());
  });
  r.post('/api/cart/scan', guard, (req, res) => {
    const b = parseOrProblem(ScanBody, req.body);
    res.json(orProblem(cart.scan(actor(res), b.code)));
  });
  r.post('/api/cart/lines', guard, (req, res) => {
    const b = parseOrProblem(AddBody, req.body);
    res.json(orProblem(cart.addProduct(actor(res), b.productId, { units: b.units, grams: b.grams })));
  });
  r.patch('/api/cart/lines/:lineId', guard, handle(async (req, res) => {
    const b = parseOrProblem(PatchBody, req.body ?? {});
    const lineId = String(req.params.lineId);
    res.json(orProblem(await cart.patchLine(actor(res), lineId, { units: b.units, grams: b.grams, discount: b.discount, unitPrice: b.unitPriceCents }, b.supervisorPin)));
  }));
  r.delete('/api/cart/lines/:lineId', guard, handle(async (req, res) => {
    const b = parseOrProblem(VoidBody, req.body ?? {});
    res.json(orProblem(await cart.voidLine(actor(res), String(req.params.lineId), b.supervisorPin)));
  }));
  r.post('/api/cart/cancel', guard, handle(async (req, res) => {
    const b = parseOrProblem(CancelBody, req.body ?? {});
    res.json(orProblem(await cart.cancelTicket(actor(res), b.cartId, b.supervisorPin)));
  }));
  r.put('/api/cart/discount', guard, handle(async (req, res) => {
    const b = parseOrProblem(DiscountBody, req.body);
    res.json(orProblem(await cart.setDiscount(actor(res), b.discount, b.supervisorPin)));
  }));
  r.put('/api/cart/customer', guard, (req, res) => {
    const b = parseOrProblem(CustomerBody, req.body);
    res.json(orProblem(cart.setCustomer(actor(res), b.customerId)));
  });
  r.post('/api/cart/park', guard, (req, res) => {
    const b = parseOrProblem(ParkBody, req.body ?? {});
    res.json(orProblem(cart.park(actor(res), b.label)));
  });
  r.get('/api/parked', guard, (_req, res) => {
    res.json(cart.listParked());
  });
  r.post('/api/parked/:id/resume', guard, (req, res) => {
    res.json(orProblem(cart.resume(actor(res), String(req.params.id))));
  });
  r.post('/api/cart/checkout', guard, (req, res) => {
    const b = parseOrProblem(CheckoutBody, req.body);
    const out = orProblem(checkout.checkout(actor(res), b.payments, b.invoice, { paper: b.paper }));
    res.json({ ticket: out.ticket, change: out.change, receipt: receipts.forTicket(out.ticket), printed: b.paper !== false, eReceipt: eReceiptOf(receipts.eReceiptUrl?.(out.ticket.id) ?? null) });
  });
  return r;
}

const SubstitutionBody = z.strictObject({
  /** The ticket replaced: its fiscal number as printed, its barcode or QR as scanned, or its id. */
  ticket: z.string().trim().min(1).max(500),
  invoice: InvoiceRecipientBody,
});

/** F3: a full invoice replacing an earlier simplified ticket of this till. */
export function substitutionRouter(guard: RequestHandler, substitutions: Substitutions, receipts: ReceiptRenderer): Router {
  const r = Router();
  r.post('/api/invoices/substitution', guard, (req, res) => {
    const b = parseOrProblem(SubstitutionBody, req.body);
    const out = orProblem(substitutions.substitute(actor(res), b.ticket, b.invoice));
    res.json({ ticket: out.ticket, replaced: { id: out.replaced.id, fiscalNumber: out.replaced.fiscalNumber }, receipt: receipts.forTicket(out.ticket) });
  });
  return r;
}
