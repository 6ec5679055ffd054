/** The columns of the time-record CSV for the labour inspectorate: every record as chained, with its hashes. */
import type { ExportColumn } from '../platform/list';
import type { TimeRecordRow } from './repository';

export type ExportRecord = TimeRecordRow & { employeeCode: string; employeeName: string };

export const TIME_RECORD_CSV_COLUMNS: ReadonlyArray<ExportColumn<ExportRecord>> = [
  { header: 'cadena', value: (r) => r.chainKey }, { header: 'orden', value: (r) => r.seq }, { header: 'codigo', value: (r) => r.employeeCode },
  { header: 'trabajador', value: (r) => r.employeeName }, { header: 'tipo', value: (r) => r.kind }, { header: 'evento', value: (r) => r.event },
  { header: 'momento', value: (r) => r.at }, { header: 'corrige', value: (r) => r.correctsId }, { header: 'parte', value: (r) => r.party },
  { header: 'motivo', value: (r) => r.reason }, { header: 'origen', value: (r) => r.source }, { header: 'terminal', value: (r) => r.terminalId },
  { header: 'registrado', value: (r) => r.recordedAt }, { header: 'huella_anterior', value: (r) => r.prevHash }, { header: 'huella', value: (r) => r.hash },
];

/** The instants bounding a month's records, a day either side (a shift may start in one time zone's day and end in the next). */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, mo - 1, 1) - 86_400_000).toISOString(), to: new Date(Date.UTC(y, mo, 1) + 86_400_000).toISOString() };
}
