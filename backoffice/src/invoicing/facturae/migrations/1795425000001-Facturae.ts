import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facturae (issue 12): each issuing company's signing certificate (the private key sealed with the server
 * secret `facturae-key`, never in clear), what a recipient needs for Facturae (wants it; DIR3 centres of a
 * public body; a structured address), and the signed document made for each invoice (kept in the files area).
 */
export class Facturae1795425000001 implements MigrationInterface {
  name = 'Facturae1795425000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    await qr.query(`CREATE TABLE "facturae_certificate" (
      "company_id" varchar(36) PRIMARY KEY NOT NULL REFERENCES "company" ("id"),
      "subject" varchar(500) NOT NULL,
      "issuer" varchar(500) NOT NULL,
      "serial_number" varchar(80) NOT NULL,
      "not_before" varchar(32) NOT NULL,
      "not_after" varchar(32) NOT NULL,
      "cert_der" text NOT NULL,
      "key_sealed" text NOT NULL,
      "uploaded_at" varchar(32) NOT NULL,
      "uploaded_by" varchar(36))`);
    // A recipient is a customer or a company (a franchisee invoiced by the franchisor).
    await qr.query(`CREATE TABLE "facturae_recipient" (
      "party_kind" varchar(16) NOT NULL,
      "party_id" varchar(36) NOT NULL,
      "wants_facturae" boolean NOT NULL DEFAULT ${pg ? 'false' : '0'},
      "person_type" varchar(1),
      "oficina_contable" varchar(10),
      "organo_gestor" varchar(10),
      "unidad_tramitadora" varchar(10),
      "organo_proponente" varchar(10),
      "street" varchar(80),
      "postal_code" varchar(10),
      "town" varchar(50),
      "province" varchar(20),
      "country" varchar(2),
      "updated_at" varchar(32) NOT NULL,
      "updated_by" varchar(36),
      PRIMARY KEY ("party_kind", "party_id"),
      CONSTRAINT "CHK_facturae_recipient_kind" CHECK ("party_kind" IN ('customer', 'company')),
      CONSTRAINT "CHK_facturae_recipient_person" CHECK ("person_type" IS NULL OR "person_type" IN ('F', 'J')))`);
    await qr.query(`CREATE TABLE "facturae_document" (
      "invoice_id" varchar(36) PRIMARY KEY NOT NULL REFERENCES "invoice" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "file_id" varchar(36) NOT NULL,
      "cert_serial" varchar(80) NOT NULL,
      "signed_at" varchar(32) NOT NULL,
      "created_by" varchar(36))`);
    await qr.query(`CREATE INDEX "IDX_facturae_document_company" ON "facturae_document" ("company_id", "signed_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['facturae_document', 'facturae_recipient', 'facturae_certificate']) await qr.query(`DROP TABLE "${t}"`);
  }
}
