/**
 * The monthly run's drawing, the part that runs in a worker thread (monthly-run.ts starts them): a chunk of
 * workers' months — plain data the main thread read — turned into their shifts and totals and one PDF each.
 * The PDFs come back in one ArrayBuffer (moved, not copied) with each worker's place in it. Imports only the
 * pure month (month-record.ts), the PDF and pdfkit: the thread loads no service, database or HTTP code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ContractRow, EmployeeRow, TimeRecordRow } from './repository';
import { monthRecordOf } from './month-record';
import { monthRecordPdf } from './month-pdf';

export interface MonthTask {
  seq: number;
  month: string;
  now: number;
  companies: Record<string, { legalName: string; nif: string }>;
  /** The reasons of the chunk's records that have one, by record id (not packed: free text). */
  reasons: Record<string, string>;
  /** Each worker's records packed as monthly-run.ts's PACKED says: a line a record, tab-separated fields. */
  items: Array<{ employee: EmployeeRow; timeZone: string; packed: string; contracts: ContractRow[] }>;
}

/** A worker's records back from their packed string (fields in PACKED's order; an empty field is NULL). */
export function unpackRecords(packed: string, employeeId: string, reasons: Record<string, string>): TimeRecordRow[] {
  if (packed === '') return [];
  const out: TimeRecordRow[] = [];
  for (const line of packed.split('\n')) {
    const [id, chainKey, seq, companyId, storeId, kind, event, at, correctsId, party, source, terminalId, recordedBy, recordedAt, hash] = line.split('\t') as string[] as [
      string, string, string, string, string, TimeRecordRow['kind'], string, string, string, string, TimeRecordRow['source'], string, string, string, string,
    ];
    out.push({
      id, chainKey, seq: Number(seq), companyId, storeId: storeId || null, employeeId, kind, event: event || null, at, correctsId: correctsId || null,
      party: (party || null) as TimeRecordRow['party'], reason: reasons[id] ?? null, source, terminalId: terminalId || null, recordedBy: recordedBy || null, recordedAt, prevHash: '', hash,
    });
  }
  return out;
}

export interface MonthDone {
  employeeId: string;
  records: number;
  workedMinutes: number;
  ordinaryMinutes: number;
  overtimeMinutes: number;
  /** Where this worker's PDF lies in the chunk's buffer. */
  offset: number;
  length: number;
}

export interface MonthTaskResult {
  seq: number;
  done: MonthDone[];
  pdfs: ArrayBuffer;
  error?: string;
}

/** One chunk drawn: the months in order, their PDFs packed into one buffer. */
export async function drawMonths(task: MonthTask): Promise<MonthTaskResult> {
  const done: MonthDone[] = [];
  const pdfs: Buffer[] = [];
  let offset = 0;
  for (const it of task.items) {
    const records = unpackRecords(it.packed, it.employee.id, task.reasons);
    const r = monthRecordOf(it.employee, task.month, it.timeZone, records, it.contracts, task.now);
    const pdf = await monthRecordPdf(r, task.companies[it.employee.companyId]!);
    pdfs.push(pdf);
    done.push({
      employeeId: it.employee.id, records: records.length, workedMinutes: r.totals.workedMinutes, ordinaryMinutes: r.totals.ordinaryMinutes,
      overtimeMinutes: r.totals.overtimeMinutes, offset, length: pdf.length,
    });
    offset += pdf.length;
  }
  const packed = new Uint8Array(new ArrayBuffer(offset));
  let at = 0;
  for (const p of pdfs) {
    packed.set(p, at);
    at += p.length;
  }
  return { seq: task.seq, done, pdfs: packed.buffer };
}

// In a thread monthly-run.ts started (not any worker thread that imports this, e.g. a test runner's): draw what the main thread sends.
if (parentPort && (workerData as { tpvMonthWorker?: boolean } | null)?.tpvMonthWorker) {
  const port = parentPort;
  port.on('message', (task: MonthTask) => {
    drawMonths(task).then(
      (r) => port.postMessage(r, [r.pdfs]),
      (e: unknown) => port.postMessage({ seq: task.seq, done: [], pdfs: new ArrayBuffer(0), error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies MonthTaskResult),
    );
  });
}
