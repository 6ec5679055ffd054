/**
 * Veri*Factu "huella" (record hash), per AEAT "Especificaciones técnicas para generación de la huella o hash
 * de los registros de facturación" v0.1.2, section 6: the input is `name=value` pairs joined by '&', in the
 * fixed field order below, values trimmed, empty values written as `name=`; the huella is the uppercase hex
 * SHA-256 of that string's UTF-8 bytes. Values are written raw (no URL-encoding).
 */
import { sha256HexUpper } from './sha256';

export const ALTA_HUELLA_FIELDS = [
  'IDEmisorFactura',
  'NumSerieFactura',
  'FechaExpedicionFactura',
  'TipoFactura',
  'CuotaTotal',
  'ImporteTotal',
  'Huella',
  'FechaHoraHusoGenRegistro',
] as const;

export const ANULACION_HUELLA_FIELDS = [
  'IDEmisorFacturaAnulada',
  'NumSerieFacturaAnulada',
  'FechaExpedicionFacturaAnulada',
  'Huella',
  'FechaHoraHusoGenRegistro',
] as const;

export type AltaHuellaFields = Readonly<Record<(typeof ALTA_HUELLA_FIELDS)[number], string>>;
export type AnulacionHuellaFields = Readonly<Record<(typeof ANULACION_HUELLA_FIELDS)[number], string>>;

function huellaInput(order: readonly string[], fields: Readonly<Record<string, string>>): string {
  return order.map((name) => `${name}=${(fields[name] ?? '').trim()}`).join('&');
}

/** The exact string hashed for a registro de alta. */
export function altaHuellaInput(fields: AltaHuellaFields): string {
  return huellaInput(ALTA_HUELLA_FIELDS, fields);
}

/** The exact string hashed for a registro de anulación. */
export function anulacionHuellaInput(fields: AnulacionHuellaFields): string {
  return huellaInput(ANULACION_HUELLA_FIELDS, fields);
}

/** Uppercase hex SHA-256 of the UTF-8 input string. */
export function huellaOf(input: string): string {
  return sha256HexUpper(input);
}

export function altaHuella(fields: AltaHuellaFields): string {
  return huellaOf(altaHuellaInput(fields));
}

export function anulacionHuella(fields: AnulacionHuellaFields): string {
  return huellaOf(anulacionHuellaInput(fields));
}

/** A huella is 64 uppercase hex digits. */
export function isHuella(text: string): boolean {
  return /^[0-9A-F]{64}$/.test(text);
}
