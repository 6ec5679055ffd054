/**
 * A company's signing certificate for Facturae: an HQ admin uploads a PKCS#12 (.p12/.pfx) and its password;
 * we keep the certificate (public) and the private key as PKCS#8 encrypted with AES-256-GCM under the
 * server secret `facturae-key` (made by the back office itself, in its database: never in the repository,
 * the environment or the audit log). The password is used once to open the file and is not kept.
 *
 * node-forge opens the PKCS#12 (node:crypto cannot read PKCS#12 into a key); node:crypto does the rest.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { HttpProblem, problem } from '@tpv/shared/problem';

export const FACTURAE_KEY_SECRET = 'facturae-key';

export interface ParsedCertificate {
  /** DER of the certificate, base64 (what goes into ds:X509Certificate). */
  certB64: string;
  /** PKCS#8 DER of the private key. */
  keyPkcs8: Buffer;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

const refusedField = (status: 409 | 422, code: string, detail: string, path: string) =>
  new HttpProblem(problem(status, code, 'Request refused', { detail, errors: [{ path, message: detail }] }));

/** `CN=…, O=…` from node's multi-line form. */
const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

/**
 * Opens a PKCS#12: the wrong password → 422 naming `password`; not a PKCS#12, no key or no certificate,
 * a key that is not the certificate's, a non-RSA key, an expired or not-yet-valid certificate → 422 naming
 * `p12`. `nowMs` decides expiry.
 */
export function parsePkcs12(p12: Buffer, password: string, nowMs: number): ParsedCertificate {
  let bag: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    try {
      bag = forge.pkcs12.pkcs12FromAsn1(asn1, password);
    } catch (e) {
      if (/MAC could not be verified|Invalid password|decrypt/i.test((e as Error).message)) {
        throw refusedField(422, 'CERTIFICATE_PASSWORD_WRONG', 'la contraseña no abre el certificado / wrong password for this certificate', 'password');
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof HttpProblem) throw e;
    throw refusedField(422, 'CERTIFICATE_UNREADABLE', 'el fichero no es un PKCS#12 (.p12/.pfx) legible / not a readable PKCS#12 (.p12/.pfx) file', 'p12');
  }
  const keyBags = [
    ...(bag.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(bag.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = bag.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) throw refusedField(422, 'CERTIFICATE_NO_KEY', 'el PKCS#12 no tiene clave privada RSA / the PKCS#12 holds no RSA private key', 'p12');
  const keyObj = createPrivateKey(forge.pki.privateKeyToPem(key as forge.pki.rsa.PrivateKey));
  const pub = createPublicKey(keyObj).export({ type: 'spki', format: 'der' });
  // The signing certificate is the one whose public key is the private key's (a .p12 may carry the CA chain too).
  const x509s = certBags.filter((b) => b.cert).map((b) => new X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(b.cert!)).getBytes(), 'binary')));
  const cert = x509s.find((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(pub));
  if (!cert) throw refusedField(422, 'CERTIFICATE_KEY_MISMATCH', 'el PKCS#12 no tiene el certificado de su clave / the PKCS#12 holds no certificate for its key', 'p12');
  if (keyObj.asymmetricKeyType !== 'rsa') throw refusedField(422, 'CERTIFICATE_NO_KEY', 'Facturae se firma con una clave RSA / Facturae is signed with an RSA key', 'p12');
  const notBefore = new Date(cert.validFrom).toISOString();
  const notAfter = new Date(cert.validTo).toISOString();
  if (Date.parse(notAfter) <= nowMs) throw refusedField(422, 'CERTIFICATE_EXPIRED', `el certificado caducó el ${notAfter.slice(0, 10)} / the certificate expired on ${notAfter.slice(0, 10)}`, 'p12');
  if (Date.parse(notBefore) > nowMs) throw refusedField(422, 'CERTIFICATE_NOT_YET_VALID', `el certificado es válido desde el ${notBefore.slice(0, 10)} / the certificate is valid from ${notBefore.slice(0, 10)}`, 'p12');
  return {
    certB64: cert.raw.toString('base64'),
    keyPkcs8: keyObj.export({ type: 'pkcs8', format: 'der' }),
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore,
    notAfter,
  };
}

/** AES-256-GCM under the server secret: `v1.<iv>.<tag>.<ciphertext>` (base64 parts); the company id is the associated data. */
export function sealKey(secret: Buffer, companyId: string, pkcs8: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', secret, iv);
  c.setAAD(Buffer.from(companyId));
  const body = Buffer.concat([c.update(pkcs8), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function openKey(secret: Buffer, companyId: string, sealed: string): Buffer {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || !body) throw new Error('sealed key in an unknown format');
  const d = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64'));
  d.setAAD(Buffer.from(companyId));
  d.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]);
}
