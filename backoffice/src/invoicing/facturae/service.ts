/**
 * Facturae use cases: a company's certificate (upload, show, remove), a recipient's Facturae data, and the
 * signed Facturae XML of a posted invoice — made once, kept in the files area, answered again afterwards.
 * Every refusal is an HTTP problem and writes nothing.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { validateNif } from '@tpv/shared/nif';
import type { CertificateView, RecipientBody, RecipientView } from '@tpv/shared/wire/http/facturae';
import { forbidden } from '../../auth/http';
import { canAccessCompany, type AuthUser } from '../../auth/service';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import type { Files } from '../../platform/files/service';
import { hqMay } from '../../platform/permissions';
import { writeTransaction } from '../../persistence/raw';
import { serverSecret } from '../../persistence/server-secret';
import { all, bool, exec, one } from '../../persistence/sql';
import { loadInvoice, type InvoiceView } from '../posting';
import { FACTURAE_KEY_SECRET, openKey, parsePkcs12, sealKey } from './certificate';
import { facturaeXml, iso3Of, parseSpanishAddress, provinceOfPostcode, type FacturaeAddress, type FacturaeParty } from './document';
import { signFacturae } from './sign';

const who = (u: AuthUser) => ({ id: u.id, email: u.email });

interface CertRow {
  company_id: string;
  subject: string;
  issuer: string;
  serial_number: string;
  not_before: string;
  not_after: string;
  cert_der: string;
  key_sealed: string;
  uploaded_at: string;
}

const certView = (r: CertRow, nowMs: number): CertificateView => ({
  companyId: r.company_id, subject: r.subject, issuer: r.issuer, serialNumber: r.serial_number, notBefore: r.not_before, notAfter: r.not_after,
  expired: Date.parse(r.not_after) <= nowMs, uploadedAt: r.uploaded_at,
});

interface RecipientRow {
  party_kind: 'customer' | 'company';
  party_id: string;
  wants_facturae: unknown;
  person_type: 'F' | 'J' | null;
  oficina_contable: string | null;
  organo_gestor: string | null;
  unidad_tramitadora: string | null;
  organo_proponente: string | null;
  street: string | null;
  postal_code: string | null;
  town: string | null;
  province: string | null;
  country: string | null;
  updated_at: string;
}

export function createFacturaeService(ds: DataSource, clock: Clock, files: Files) {
  const m = ds.manager;
  const companyOrThrow = async (user: AuthUser, companyId: string) => {
    const c = await one<{ id: string; nif: string; legal_name: string }>(m, `SELECT id, nif, legal_name FROM company WHERE id = ?`, [companyId]);
    if (!c || !canAccessCompany(user, companyId)) throw refused(404, 'COMPANY_NOT_FOUND', 'empresa no encontrada / company not found');
    return c;
  };

  async function recipientView(kind: 'customer' | 'company', id: string): Promise<RecipientView> {
    const party =
      kind === 'customer'
        ? await one<{ name: string; nif: string | null }>(m, `SELECT name, nif FROM customer WHERE id = ?`, [id])
        : await one<{ name: string; nif: string | null }>(m, `SELECT legal_name AS name, nif FROM company WHERE id = ?`, [id]);
    if (!party) throw refused(404, 'RECIPIENT_NOT_FOUND', 'destinatario no encontrado / recipient not found');
    const r = await one<RecipientRow>(m, `SELECT * FROM facturae_recipient WHERE party_kind = ? AND party_id = ?`, [kind, id]);
    return {
      kind, id, name: party.name, nif: party.nif, wantsFacturae: r ? bool(r.wants_facturae) : false, personType: r?.person_type ?? null,
      oficinaContable: r?.oficina_contable ?? null, organoGestor: r?.organo_gestor ?? null, unidadTramitadora: r?.unidad_tramitadora ?? null, organoProponente: r?.organo_proponente ?? null,
      street: r?.street ?? null, postalCode: r?.postal_code ?? null, town: r?.town ?? null, province: r?.province ?? null, country: r?.country ?? 'ES', updatedAt: r?.updated_at ?? null,
    };
  }

  /** The seller: the issuing company, with its structured address (required by Facturae). */
  async function sellerOf(companyId: string): Promise<FacturaeParty> {
    const c = await one<{ nif: string; legal_name: string; trade_name: string | null; street: string | null; postal_code: string | null; city: string | null; province: string | null; country: string | null; iban: string | null }>(
      m, `SELECT nif, legal_name, trade_name, street, postal_code, city, province, country, iban FROM company WHERE id = ?`, [companyId],
    );
    const country = c?.country ?? 'ES';
    if (!c || !c.street || !c.postal_code || !c.city || (country === 'ES' && !provinceOfPostcode(c.postal_code))) {
      throw refused(409, 'FACTURAE_ISSUER_ADDRESS', 'la empresa emisora necesita calle, código postal y población en su ficha / the issuing company needs street, postcode and town', 'company.address');
    }
    const kind = validateNif(c.nif);
    return {
      taxId: c.nif, personType: kind.ok && kind.value.kind !== 'company' ? 'F' : 'J', name: c.legal_name, tradeName: c.trade_name,
      address: { street: c.street, postCode: c.postal_code, town: c.city, province: c.province || provinceOfPostcode(c.postal_code) || c.city, country },
      iban: c.iban,
    };
  }

  /** The buyer: the invoice's recipient; its address from its Facturae data, its company's card, or the invoice's one-line address. */
  async function buyerOf(inv: InvoiceView): Promise<FacturaeParty> {
    const r = inv.recipient;
    const kind = r.customerId ? 'customer' : r.companyId ? 'company' : null;
    const data = kind ? await one<RecipientRow>(m, `SELECT * FROM facturae_recipient WHERE party_kind = ? AND party_id = ?`, [kind, kind === 'customer' ? r.customerId : r.companyId]) : undefined;
    let address: FacturaeAddress | undefined;
    if (data?.street && data.postal_code && data.town) {
      const country = data.country ?? 'ES';
      address = { street: data.street, postCode: data.postal_code, town: data.town, province: data.province || provinceOfPostcode(data.postal_code) || data.town, country };
    } else if (r.companyId) {
      const c = await one<{ street: string | null; postal_code: string | null; city: string | null; province: string | null; country: string | null }>(m, `SELECT street, postal_code, city, province, country FROM company WHERE id = ?`, [r.companyId]);
      if (c?.street && c.postal_code && c.city) address = { street: c.street, postCode: c.postal_code, town: c.city, province: c.province || provinceOfPostcode(c.postal_code) || c.city, country: c.country ?? 'ES' };
    }
    if (!address && r.country === 'ES' && r.address) address = parseSpanishAddress(r.address);
    if (!address || !iso3Of(address.country) || (address.country === 'ES' && !/^\d{5}$/.test(address.postCode))) {
      throw refused(409, 'FACTURAE_RECIPIENT_ADDRESS', 'el destinatario necesita una dirección completa (calle, código postal, población) en sus datos Facturae / the recipient needs a full address in its Facturae data', 'recipient.address');
    }
    if (!r.nif) throw refused(409, 'FACTURAE_RECIPIENT_NIF', 'Facturae identifica al destinatario por su NIF / Facturae needs the recipient tax id', 'recipient.nif');
    const nifKind = r.country === 'ES' ? validateNif(r.nif) : null;
    const personType = data?.person_type ?? (nifKind?.ok && nifKind.value.kind !== 'company' ? 'F' : 'J');
    const centres = data?.oficina_contable && data.organo_gestor && data.unidad_tramitadora
      ? { oficinaContable: data.oficina_contable, organoGestor: data.organo_gestor, unidadTramitadora: data.unidad_tramitadora, organoProponente: data.organo_proponente }
      : null;
    return { taxId: r.nif, personType, name: r.name, address, centres };
  }

  return {
    async listCertificates(user: AuthUser) {
      const companies = await all<{ id: string; nif: string; legal_name: string }>(m, `SELECT id, nif, legal_name FROM company WHERE archived_at IS NULL ORDER BY legal_name`);
      const certs = new Map((await all<CertRow>(m, `SELECT * FROM facturae_certificate`)).map((r) => [r.company_id, r]));
      const now = clock.now();
      return {
        items: companies
          .filter((c) => canAccessCompany(user, c.id))
          .map((c) => ({ companyId: c.id, nif: c.nif, legalName: c.legal_name, certificate: certs.has(c.id) ? certView(certs.get(c.id)!, now) : null })),
      };
    },

    async certificate(user: AuthUser, companyId: string): Promise<CertificateView | null> {
      await companyOrThrow(user, companyId);
      const r = await one<CertRow>(m, `SELECT * FROM facturae_certificate WHERE company_id = ?`, [companyId]);
      return r ? certView(r, clock.now()) : null;
    },

    /** Stores (or replaces) a company's certificate. The password is not kept; the audit names the certificate only. */
    async uploadCertificate(user: AuthUser, companyId: string, body: { p12Base64: string; password: string }): Promise<CertificateView> {
      await companyOrThrow(user, companyId);
      const parsed = parsePkcs12(Buffer.from(body.p12Base64.replace(/\s+/g, ''), 'base64'), body.password, clock.now());
      const secret = await serverSecret(ds, FACTURAE_KEY_SECRET, clock.now);
      const sealed = sealKey(secret, companyId, parsed.keyPkcs8);
      parsed.keyPkcs8.fill(0);
      const now = new Date(clock.now()).toISOString();
      const view = { subject: parsed.subject, issuer: parsed.issuer, serialNumber: parsed.serialNumber, notBefore: parsed.notBefore, notAfter: parsed.notAfter };
      await writeTransaction(ds, async (tx) => {
        const before = await one<CertRow>(tx, `SELECT * FROM facturae_certificate WHERE company_id = ?`, [companyId]);
        if (before) await exec(tx, `DELETE FROM facturae_certificate WHERE company_id = ?`, [companyId]);
        await exec(
          tx,
          `INSERT INTO facturae_certificate (company_id, subject, issuer, serial_number, not_before, not_after, cert_der, key_sealed, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [companyId, parsed.subject, parsed.issuer, parsed.serialNumber, parsed.notBefore, parsed.notAfter, parsed.certB64, sealed, now, user.id],
        );
        await recordAudit(tx, clock, {
          actor: who(user), action: before ? 'facturae_certificate.replace' : 'facturae_certificate.upload', entity: 'facturae_certificate', entityId: companyId, companyId,
          before: before ? { subject: before.subject, serialNumber: before.serial_number, notAfter: before.not_after } : null, after: view,
        });
      });
      return { companyId, ...view, expired: false, uploadedAt: now };
    },

    async removeCertificate(user: AuthUser, companyId: string): Promise<void> {
      await companyOrThrow(user, companyId);
      await writeTransaction(ds, async (tx) => {
        const before = await one<CertRow>(tx, `SELECT * FROM facturae_certificate WHERE company_id = ?`, [companyId]);
        if (!before) throw refused(404, 'CERTIFICATE_NOT_FOUND', 'la empresa no tiene certificado / the company has no certificate');
        await exec(tx, `DELETE FROM facturae_certificate WHERE company_id = ?`, [companyId]);
        await recordAudit(tx, clock, { actor: who(user), action: 'facturae_certificate.remove', entity: 'facturae_certificate', entityId: companyId, companyId, before: { subject: before.subject, serialNumber: before.serial_number, notAfter: before.not_after } });
      });
    },

    /** Customers and companies matching `q` (name or NIF), with their Facturae flag: the page's picker. */
    async searchRecipients(q: string): Promise<Array<{ kind: 'customer' | 'company'; id: string; name: string; nif: string | null; wantsFacturae: boolean; publicBody: boolean }>> {
      const like = `%${q.trim().toLowerCase()}%`;
      const rows = await all<{ kind: 'customer' | 'company'; id: string; name: string; nif: string | null; wants: unknown; oc: string | null }>(
        m,
        `SELECT 'customer' AS kind, c.id, c.name, c.nif, r.wants_facturae AS wants, r.oficina_contable AS oc FROM customer c
           LEFT JOIN facturae_recipient r ON r.party_kind = 'customer' AND r.party_id = c.id WHERE LOWER(c.name) LIKE ? OR LOWER(COALESCE(c.nif, '')) LIKE ?
         UNION ALL
         SELECT 'company' AS kind, k.id, k.legal_name AS name, k.nif, r.wants_facturae AS wants, r.oficina_contable AS oc FROM company k
           LEFT JOIN facturae_recipient r ON r.party_kind = 'company' AND r.party_id = k.id WHERE LOWER(k.legal_name) LIKE ? OR LOWER(k.nif) LIKE ?
         ORDER BY name LIMIT 50`,
        [like, like, like, like],
      );
      return rows.map((r) => ({ kind: r.kind, id: r.id, name: r.name, nif: r.nif, wantsFacturae: bool(r.wants), publicBody: !!r.oc }));
    },

    recipient: async (_user: AuthUser, kind: 'customer' | 'company', id: string) => recipientView(kind, id),

    /** A recipient's Facturae data: franchise-wide master data (a franchise-wide role with invoicing.write). */
    async putRecipient(user: AuthUser, kind: 'customer' | 'company', id: string, b: RecipientBody): Promise<RecipientView> {
      if (!hqMay(user, 'invoicing.write')) throw forbidden('Los datos Facturae de un destinatario son de la central / a recipient’s Facturae data is franchise-wide (HQ).');
      const before = await recipientView(kind, id);
      if (b.country !== 'ES' && !iso3Of(b.country)) throw refused(422, 'VALUE_REFUSED', 'país no admitido en Facturae / country not supported by Facturae', 'country');
      const province = b.province ?? (b.country === 'ES' && b.postalCode ? provinceOfPostcode(b.postalCode) ?? null : null);
      if (b.country === 'ES' && b.postalCode && !provinceOfPostcode(b.postalCode)) throw refused(422, 'VALUE_REFUSED', 'código postal sin provincia / postcode of no Spanish province', 'postalCode');
      const now = new Date(clock.now()).toISOString();
      await writeTransaction(ds, async (tx) => {
        await exec(tx, `DELETE FROM facturae_recipient WHERE party_kind = ? AND party_id = ?`, [kind, id]);
        await exec(
          tx,
          `INSERT INTO facturae_recipient (party_kind, party_id, wants_facturae, person_type, oficina_contable, organo_gestor, unidad_tramitadora, organo_proponente, street, postal_code, town, province, country, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [kind, id, b.wantsFacturae, b.personType, b.oficinaContable, b.organoGestor, b.unidadTramitadora, b.organoProponente, b.street, b.postalCode, b.town, province, b.country, now, user.id],
        );
        await recordAudit(tx, clock, { actor: who(user), action: 'facturae_recipient.put', entity: `facturae_recipient`, entityId: `${kind}:${id}`, before, after: b });
      });
      return recipientView(kind, id);
    },

    /**
     * The signed Facturae of a posted invoice: the stored file if there is one; otherwise built, signed with the
     * issuing company's certificate, stored and recorded. No certificate, an expired one, a draft or a
     * cancelled invoice, missing addresses → 409 naming what is missing, nothing stored.
     */
    async document(user: AuthUser, invoiceId: string): Promise<{ fileId: string; name: string; signedAt: string; certSerial: string; madeNow: boolean }> {
      const inv = await loadInvoice(m, invoiceId);
      if (!inv || !canAccessCompany(user, inv.companyId)) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
      const stored = await one<{ file_id: string; signed_at: string; cert_serial: string }>(m, `SELECT file_id, signed_at, cert_serial FROM facturae_document WHERE invoice_id = ?`, [invoiceId]);
      const nameOf = () => `facturae-${inv.number}.xsig`;
      if (stored) return { fileId: stored.file_id, name: nameOf(), signedAt: stored.signed_at, certSerial: stored.cert_serial, madeNow: false };
      if (inv.status === 'draft') throw refused(409, 'INVOICE_NOT_POSTED', 'un borrador no tiene Facturae; emita la factura / a draft has no Facturae: post it first');
      if (inv.status === 'cancelled') throw refused(409, 'INVOICE_CANCELLED', 'factura anulada / the invoice is cancelled');
      const cert = await one<CertRow>(m, `SELECT * FROM facturae_certificate WHERE company_id = ?`, [inv.companyId]);
      if (!cert) throw refused(409, 'FACTURAE_NO_CERTIFICATE', 'la empresa emisora no tiene certificado de firma; súbalo en Facturae / the issuing company has no signing certificate: upload one', 'certificate');
      const nowMs = clock.now();
      if (Date.parse(cert.not_after) <= nowMs) {
        throw refused(409, 'FACTURAE_CERTIFICATE_EXPIRED', `el certificado de la empresa caducó el ${cert.not_after.slice(0, 10)}; súbalo de nuevo / the company's certificate expired: upload a new one`, 'certificate');
      }
      const xml = facturaeXml(inv, await sellerOf(inv.companyId), await buyerOf(inv));
      const secret = await serverSecret(ds, FACTURAE_KEY_SECRET, clock.now);
      const key = openKey(secret, inv.companyId, cert.key_sealed);
      const signedAt = new Date(nowMs).toISOString();
      let signed: string;
      try {
        signed = await signFacturae({ xml, certB64: cert.cert_der, keyPkcs8: key, signingTime: new Date(nowMs), idSeed: inv.id });
      } finally {
        key.fill(0);
      }
      const file = await files.save({ name: nameOf(), mediaType: 'application/xml', purpose: 'facturae', owner: { companyId: inv.companyId, storeId: null, createdBy: user.id }, data: Buffer.from(signed, 'utf8') });
      try {
        await writeTransaction(ds, async (tx) => {
          await exec(tx, `INSERT INTO facturae_document (invoice_id, company_id, file_id, cert_serial, signed_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`, [invoiceId, inv.companyId, file.id, cert.serial_number, signedAt, user.id]);
          await recordAudit(tx, clock, { actor: who(user), action: 'invoice.facturae', entity: 'invoice', entityId: invoiceId, companyId: inv.companyId, after: { fileId: file.id, number: inv.number, certSerial: cert.serial_number } });
        });
      } catch (e) {
        // Another request made it first (primary key): answer that one, drop ours.
        await files.remove(file);
        const other = await one<{ file_id: string; signed_at: string; cert_serial: string }>(m, `SELECT file_id, signed_at, cert_serial FROM facturae_document WHERE invoice_id = ?`, [invoiceId]);
        if (!other) throw e;
        return { fileId: other.file_id, name: nameOf(), signedAt: other.signed_at, certSerial: other.cert_serial, madeNow: false };
      }
      return { fileId: file.id, name: nameOf(), signedAt, certSerial: cert.serial_number, madeNow: true };
    },
  };
}

export type FacturaeService = ReturnType<typeof createFacturaeService>;

