/**
 * Receipts as a franchise designs them (issue 19): the company's receipt design and its stores' overrides,
 * the live preview through our own encoder and decoder, publishing down the change feed (`receipt_design`);
 * e-receipts: the customer's page and PDF behind a signed link, and the e-mail a till asks for.
 */
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { receiptRoutes } from './route';
import { createReceiptDesignService } from './service';
import { createEReceipts } from './e-receipt';
import { mailerFromEnv } from './mail';
import { EReceiptEmailRequest } from '@tpv/shared/wire/http/receipts';
import type { EReceiptEmail } from '@tpv/shared/wire/upward';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';

export const receiptDesignService = (c: ModuleContext) => createReceiptDesignService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

const eReceipts = (c: ModuleContext) => createEReceipts(c.ds, () => c.clock.now());

export const receiptsModule: BackofficeModule = {
  id: 'receipts',
  routes: (c) => [receiptRoutes(c, receiptDesignService(c), eReceipts(c))],
  tillRequests: {
    // A cashier sends the e-receipt to the customer's address (from the customer record at HQ).
    'receipts.email': async (c, till, payload) => {
      const req = EReceiptEmailRequest.parse(payload);
      return eReceipts(c).email(mailerFromEnv(), till, req.ticketId, req.to);
    },
  },
  upward: {
    // The same e-mail queued in the till's outbox (offline at the time, or simply not waited for): applied
    // once per document. A refusal (no address, another store's ticket) is final; the ticket not at HQ
    // yet or the mail server away throws, so the till sends it again later.
    'receipts.email': async (_m, c, till, doc) => {
      const req = doc.payload as EReceiptEmail;
      try {
        const sent = await eReceipts(c).email(mailerFromEnv(), till, req.ticketId, req.to);
        return { reference: `enviado a / sent to ${sent.sentTo}` };
      } catch (e) {
        if (e instanceof TillRequestRefused) return { rejected: e.message };
        throw e;
      }
    },
  },
};
