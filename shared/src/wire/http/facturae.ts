/**
 * HTTP schemas of Facturae (issue 12): a company's signing certificate (PKCS#12 upload, what it says), a
 * recipient's Facturae data (wants it, DIR3 centres of a public body, structured address) and the signed
 * Facturae 3.2.2 XML of an invoice.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

export const IdParams = z.object({ id: RowIdSchema });

/** ~64 KB of base64: a PKCS#12 with its chain is a few KB. */
export const CertificateUploadBody = z.strictObject({
  p12Base64: z.string().min(16).max(90_000).regex(/^[A-Za-z0-9+/=\s]+$/, 'base64'),
  password: z.string().max(200),
});
export type CertificateUploadBody = z.output<typeof CertificateUploadBody>;

export const CertificateView = z.object({
  companyId: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  expired: z.boolean(),
  uploadedAt: z.string(),
});
export type CertificateView = z.output<typeof CertificateView>;
export const CertificateAnswer = z.object({ certificate: CertificateView.nullable() });

export const CertificateList = z.object({
  items: z.array(z.object({ companyId: z.string(), nif: z.string(), legalName: z.string(), certificate: CertificateView.nullable() })),
});

/** DIR3 code: up to 10 characters (L01280796, GE0001234). */
const Dir3 = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{1,10}$/, 'código DIR3 / DIR3 code (A–Z, 0–9, ≤ 10)');
export const RecipientParams = z.object({ kind: z.enum(['customer', 'company']), id: RowIdSchema });
export const RecipientBody = z
  .strictObject({
    wantsFacturae: z.boolean(),
    personType: z.enum(['F', 'J']).nullable().default(null),
    oficinaContable: Dir3.nullable().default(null),
    organoGestor: Dir3.nullable().default(null),
    unidadTramitadora: Dir3.nullable().default(null),
    organoProponente: Dir3.nullable().default(null),
    street: z.string().trim().min(1).max(80).nullable().default(null),
    postalCode: z.string().trim().max(10).nullable().default(null),
    town: z.string().trim().min(1).max(50).nullable().default(null),
    province: z.string().trim().min(1).max(20).nullable().default(null),
    country: z.string().regex(/^[A-Z]{2}$/).default('ES'),
  })
  .superRefine((b, ctx) => {
    const dir3 = [b.oficinaContable, b.organoGestor, b.unidadTramitadora];
    // A public body needs the three centres (FACe refuses an invoice without them); none is a private recipient.
    if (dir3.some(Boolean) && !dir3.every(Boolean)) {
      for (const [k, v] of [['oficinaContable', b.oficinaContable], ['organoGestor', b.organoGestor], ['unidadTramitadora', b.unidadTramitadora]] as const) {
        if (!v) ctx.addIssue({ code: 'custom', path: [k], message: 'un organismo público necesita oficina contable, órgano gestor y unidad tramitadora / a public body needs all three DIR3 centres' });
      }
    }
    const addr = [b.street, b.postalCode, b.town];
    if (addr.some(Boolean) && !addr.every(Boolean)) ctx.addIssue({ code: 'custom', path: ['street'], message: 'dirección completa: calle, código postal y población / full address: street, postcode and town' });
    if (b.country === 'ES' && b.postalCode && !/^\d{5}$/.test(b.postalCode)) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'código postal de 5 cifras / 5-digit postcode' });
  });
export type RecipientBody = z.output<typeof RecipientBody>;
export const RecipientView = z.object({
  kind: z.enum(['customer', 'company']),
  id: z.string(),
  name: z.string(),
  nif: z.string().nullable(),
  wantsFacturae: z.boolean(),
  personType: z.enum(['F', 'J']).nullable(),
  oficinaContable: z.string().nullable(),
  organoGestor: z.string().nullable(),
  unidadTramitadora: z.string().nullable(),
  organoProponente: z.string().nullable(),
  street: z.string().nullable(),
  postalCode: z.string().nullable(),
  town: z.string().nullable(),
  province: z.string().nullable(),
  country: z.string(),
  updatedAt: z.string().nullable(),
});
export type RecipientView = z.output<typeof RecipientView>;

export const RecipientSearchQuery = z.object({ q: z.string().max(100).default('') });
export const RecipientSearchAnswer = z.object({
  items: z.array(z.object({ kind: z.enum(['customer', 'company']), id: z.string(), name: z.string(), nif: z.string().nullable(), wantsFacturae: z.boolean(), publicBody: z.boolean() })),
});

