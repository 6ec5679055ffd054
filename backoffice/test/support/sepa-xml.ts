/**
 * Test helpers for the SEPA files: validation with xmllint against the official ISO 20022 schemas kept in
 * ../shared/fixtures (no network), and reading values back with @xmldom/xmldom.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';

const SCHEMAS = path.resolve(import.meta.dirname, '../../../../shared/fixtures/schemas/iso20022');
export const PAIN008_XSD = path.join(SCHEMAS, 'pain.008.001.02.xsd');
export const PAIN001_XSD = path.join(SCHEMAS, 'pain.001.001.09.xsd');

/** '' when the document is valid against the schema, else xmllint's complaints. */
export function xsdErrors(xml: string, xsd: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-sepa-'));
  const file = path.join(dir, 'doc.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', xsd, file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseXml(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return doc.documentElement as unknown as Element;
}

/** Child elements of `el` named `name` (direct children only). */
export function children(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).localName === name) out.push(n as Element);
  return out;
}

/** The text at a slash path of direct children ('PmtTpInf/LclInstrm/Cd'), or undefined when absent. */
export function textAt(el: Element, steps: string): string | undefined {
  let cur: Element | undefined = el;
  for (const step of steps.split('/')) cur = cur ? children(cur, step)[0] : undefined;
  return cur?.textContent ?? undefined;
}

/** An XML decimal amount ('2345.68') in cents, by string arithmetic (never a float). */
export function decimalToCents(text: string): number {
  const m = /^(\d+)\.(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a two-decimal amount: ${text}`);
  return Number(m[1]) * 100 + Number(m[2]);
}
