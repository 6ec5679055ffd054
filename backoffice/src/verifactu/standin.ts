/**
 * A local stand-in of the AEAT's Veri*Factu web service (the real one needs a certificate and is out of reach
 * here): SOAP 1.1 over HTTP on a loopback port, `RegFactuSistemaFacturacion` in, `RespuestaRegFactuSistemaFacturacion`
 * out, as the AEAT documents it. It registers each record once (a record it already holds is answered
 * Incorrecto 3000 with `RegistroDuplicado`, as the AEAT does), answers `TiempoEsperaEnvio`, and has switches:
 * reject a chosen invoice, accept one with errors, stall (register the records and never answer), and check
 * every request against the real XSD with xmllint (a SOAP fault when it does not validate).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { create } from 'xmlbuilder2';
import type { Clock } from '@tpv/shared/clock';
import { buildSoapAnswer, buildSoapFault, parseRegFactu, recordKey, type AnswerLine, type EstadoEnvio } from './xml';

const run = promisify(execFile);

export interface StandInOptions {
  clock?: Clock;
  /** TiempoEsperaEnvio answered (seconds); the AEAT's default is 60. */
  waitSeconds?: number;
  /** Path of SuministroLR.xsd: each request's document is validated with xmllint --nonet --schema. */
  schema?: string;
}

export interface StandInRequest {
  at: number;
  issuerNif: string;
  records: number;
  answered: boolean;
}

export interface AeatStandIn {
  url: string;
  /** What the AEAT holds: record key → times it was registered (always 1) and its state. */
  registered: Map<string, { count: number; state: 'Correcta' | 'AceptadaConErrores'; requestId: string }>;
  requests: StandInRequest[];
  /** Answer Incorrecto for this invoice number (until `accept`). */
  reject(invoiceNumber: string, code?: string, description?: string): void;
  accept(invoiceNumber: string): void;
  /** Answer AceptadoConErrores for this invoice number. */
  acceptWithErrors(invoiceNumber: string, code?: string, description?: string): void;
  /**
   * The next `n` requests are processed (records registered) but never answered: `hang` keeps the connection
   * open until the client's timeout gives up, `drop` closes it without a word (the client sees no answer at once).
   */
  stallNext(n?: number, mode?: 'hang' | 'drop'): void;
  close(): Promise<void>;
}

export async function startAeatStandIn(opts: StandInOptions = {}): Promise<AeatStandIn> {
  const clock = opts.clock ?? { now: () => Date.now() };
  const registered: AeatStandIn['registered'] = new Map();
  const requests: StandInRequest[] = [];
  const rejections = new Map<string, { code: string; description: string }>();
  const withErrors = new Map<string, { code: string; description: string }>();
  const held = new Set<ServerResponse>();
  let stall = 0;
  let stallMode: 'hang' | 'drop' = 'hang';
  let requestSeq = 0;

  async function schemaErrors(doc: string): Promise<string> {
    if (!opts.schema) return '';
    const dir = mkdtempSync(path.join(tmpdir(), 'aeat-standin-'));
    const file = path.join(dir, 'req.xml');
    writeFileSync(file, doc);
    try {
      await run('xmllint', ['--nonet', '--noout', '--schema', opts.schema, file]);
      return '';
    } catch (e) {
      return String((e as { stderr?: string }).stderr ?? e).slice(0, 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The request's RegFactuSistemaFacturacion as a document of its own (namespaces kept). */
  function innerDocument(soap: string): string {
    const root = create(soap).root();
    let found: ReturnType<typeof root.first> | undefined;
    root.each((n) => {
      if (found === undefined && (n.node as unknown as { localName?: string }).localName === 'RegFactuSistemaFacturacion') found = n;
    }, false, true);
    if (!found) throw new Error('no RegFactuSistemaFacturacion in the SOAP body');
    return found.toString({ prettyPrint: false });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const fault = (code: string, msg: string) => {
      res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(buildSoapFault(code, msg));
    };
    let doc: ReturnType<typeof parseRegFactu>;
    let inner: string;
    try {
      inner = innerDocument(body);
      doc = parseRegFactu(inner);
    } catch (e) {
      return fault('env:Client', `Petición mal formada: ${(e as Error).message}`);
    }
    const invalid = await schemaErrors(`<?xml version="1.0" encoding="UTF-8"?>\n${inner}`);
    if (invalid) return fault('env:Client', `Codigo[4102].El XML no cumple el esquema. ${invalid}`);

    const requestId = `REQ${String(++requestSeq).padStart(8, '0')}`;
    const lines: AnswerLine[] = doc.records.map(({ record: r }) => {
      const key = recordKey(r.issuerNif, r.invoiceNumber, r.issueDate, r.kind);
      const base = { issuerNif: r.issuerNif, invoiceNumber: r.invoiceNumber, issueDate: r.issueDate, operation: r.kind === 'alta' ? ('Alta' as const) : ('Anulacion' as const) };
      const held = registered.get(key);
      if (held) {
        return { ...base, status: 'Incorrecto', errorCode: '3000', errorDescription: 'Registro de facturación duplicado.', duplicate: { requestId: held.requestId, state: held.state } };
      }
      const rej = rejections.get(r.invoiceNumber);
      if (rej) return { ...base, status: 'Incorrecto', errorCode: rej.code, errorDescription: rej.description };
      const warn = withErrors.get(r.invoiceNumber);
      registered.set(key, { count: 1, state: warn ? 'AceptadaConErrores' : 'Correcta', requestId });
      return warn ? { ...base, status: 'AceptadoConErrores', errorCode: warn.code, errorDescription: warn.description } : { ...base, status: 'Correcto' };
    });
    const request: StandInRequest = { at: clock.now(), issuerNif: doc.issuer.nif, records: doc.records.length, answered: false };
    requests.push(request);
    if (stall > 0) {
      stall--;
      if (stallMode === 'drop') return void res.socket?.destroy();
      held.add(res); // processed, never answered: the client's timeout fires
      res.on('close', () => held.delete(res));
      return;
    }
    const ok = lines.filter((l) => l.status !== 'Incorrecto').length;
    const status: EstadoEnvio = ok === lines.length ? 'Correcto' : ok === 0 ? 'Incorrecto' : 'ParcialmenteCorrecto';
    request.answered = true;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(
      buildSoapAnswer({
        csv: ok > 0 ? `A-${requestId}` : null,
        waitSeconds: opts.waitSeconds ?? 60,
        status,
        lines,
        presenterNif: doc.issuer.nif,
        timestamp: new Date(clock.now()).toISOString().slice(0, 19) + '+00:00',
        issuer: doc.issuer,
      }),
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP`,
    registered,
    requests,
    reject: (n, code = '1100', description = 'Valor o tipo incorrecto del campo: NIF del destinatario no identificado.') => void rejections.set(n, { code, description }),
    accept: (n) => void rejections.delete(n),
    acceptWithErrors: (n, code = '2000', description = 'El cálculo de la cuota repercutida admite un error de ±10 euros.') => void withErrors.set(n, { code, description }),
    stallNext: (n = 1, mode = 'hang') => {
      stall += n;
      stallMode = mode;
    },
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
