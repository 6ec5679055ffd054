/**
 * Bank statements (issue 13) — use cases, each one transaction:
 *
 * - `importFile`: parses a Norma 43 / camt.053 text (`parseStatementFile`); per statement finds (or opens) the
 *   company's bank account by IBAN (an IBAN of another company is refused), refuses a statement already
 *   imported (same key: 409, nothing written), skips the movements already imported with an overlapping
 *   statement (same movement key), writes the statement and its movements, and runs the automatic matching
 *   (matching.ts) on them;
 * - `matchStatement`: the automatic matching again over a statement's movements still unmatched;
 * - `matchMovement` (by hand: items and amounts; the rest is the counterparty's credit) and `ignoreMovement`;
 * - lists and details, scoped to the caller's companies.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type * as W from '@tpv/shared/wire/http/bank-statements';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../../auth/service';
import { forbidden, notFound } from '../../auth/http';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { constraintViolation } from '../../persistence/constraints';
import { newRowId } from '../../persistence/row-id';
import { writeTransaction } from '../../persistence/raw';
import { all, exec, forUpdate, inList, isPostgres, one, type Db } from '../../persistence/sql';
import { BankStatementError, ibanOf, movementKeys, parseStatementFile, statementKey, type BankStatement, type ParsedStatementFile } from '../bank';
import type { Side } from '../ledger';
import { autoMatch, paymentForMovement, type MovementRow } from './matching';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });
type FieldError = { path: string; message: string };
const invalid = (detail: string, errors: FieldError[]) => new HttpProblem(problem(422, 'VALUE_REFUSED', 'Request refused', { detail, errors }));

function companyOf(u: AuthUser, companyId: string | undefined): string {
  const id = companyId ?? (u.companyIds.length === 1 ? u.companyIds[0] : undefined);
  if (!id) throw refused(422, 'VALUE_REFUSED', 'Indique la empresa titular de la cuenta / Name the company that holds the account', 'companyId');
  return id;
}

const scopeSql = (col: string, companyIds: string[] | null, params: unknown[]) => {
  if (companyIds === null) return '';
  if (companyIds.length === 0) return ' AND 1 = 0';
  params.push(...companyIds);
  return ` AND ${col} IN (${inList(companyIds.length)})`;
};

const STATEMENT_COLS = `s.id, s.company_id AS "companyId", c.legal_name AS "companyName", s.account_id AS "accountId", a.iban, a.name AS "accountName", s.format,
  s.from_date AS "from", s.to_date AS "to", s.opening_balance_cents AS "openingBalanceCents", s.closing_balance_cents AS "closingBalanceCents",
  s.debit_count AS "debitCount", s.debit_cents AS "debitCents", s.credit_count AS "creditCount", s.credit_cents AS "creditCents",
  s.movement_count AS "movementCount", s.skipped_count AS "skippedCount", s.imported_at AS "importedAt",
  (SELECT COUNT(*) FROM bank_movement x WHERE x.statement_id = s.id AND x.status = 'matched') AS "matchedCount",
  (SELECT COUNT(*) FROM bank_movement x WHERE x.statement_id = s.id AND x.status = 'unmatched') AS "unmatchedCount"
  FROM bank_statement s JOIN bank_account a ON a.id = s.account_id JOIN company c ON c.id = s.company_id`;
const INTS = ['openingBalanceCents', 'closingBalanceCents', 'debitCount', 'debitCents', 'creditCount', 'creditCents', 'movementCount', 'skippedCount', 'matchedCount', 'unmatchedCount'] as const;
const statementOut = (r: Record<string, unknown>) => {
  const out = { ...r } as Record<string, unknown>;
  for (const k of INTS) out[k] = Number(r[k]);
  return out as unknown as W.BankStatementItem;
};

const MOVEMENT_COLS = `b.id, b.statement_id AS "statementId", b.company_id AS "companyId", b.idx, b.operation_date AS "operationDate", b.value_date AS "valueDate",
  b.common_concept AS "commonConcept", b.own_concept AS "ownConcept", b.amount_cents AS "amountCents", b.document, b.reference1, b.reference2, b.concepts,
  b.status, b.match_kind AS "matchKind", b.payment_id AS "paymentId", p.number AS "paymentNumber", b.remittance_id AS "remittanceId", b.store_id AS "storeId",
  b.business_date AS "businessDate", b.expected_cents AS "expectedCents", b.note
  FROM bank_movement b LEFT JOIN payment p ON p.id = b.payment_id`;
const movementOut = (r: Record<string, unknown>): W.BankMovementItem =>
  ({
    ...r,
    idx: Number(r.idx),
    amountCents: Number(r.amountCents),
    expectedCents: r.expectedCents === null || r.expectedCents === undefined ? null : Number(r.expectedCents),
    concepts: String(r.concepts ?? '') === '' ? [] : String(r.concepts).split('\n'),
  }) as W.BankMovementItem;

async function statementDetail(m: Db, id: string): Promise<W.BankStatementDetail> {
  const row = await one<Record<string, unknown>>(m, `SELECT ${STATEMENT_COLS} WHERE s.id = ?`, [id]);
  if (!row) throw notFound('bank statement');
  const movements = await all<Record<string, unknown>>(m, `SELECT ${MOVEMENT_COLS} WHERE b.statement_id = ? ORDER BY b.idx`, [id]);
  return { ...statementOut(row), movements: movements.map(movementOut) };
}

function parseOrRefuse(content: string): ParsedStatementFile {
  try {
    const parsed = parseStatementFile(content);
    if (parsed.statements.length === 0) throw new BankStatementError('el fichero no tiene extractos / the file holds no statement');
    return parsed;
  } catch (e) {
    if (e instanceof BankStatementError) throw invalid('El fichero no es un extracto válido / The file is not a valid statement', [{ path: 'content', message: e.message }]);
    throw e;
  }
}

/** Inserts rows in chunks (one statement per chunk: both engines take a few thousand parameters). */
async function insertMany(m: Db, table: string, cols: readonly string[], rows: unknown[][]): Promise<void> {
  const CHUNK = 200;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await exec(m, `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${part.map(() => `(${inList(cols.length)})`).join(', ')}`, part.flat());
  }
}

const MOVEMENT_INSERT = ['id', 'statement_id', 'company_id', 'movement_key', 'idx', 'operation_date', 'value_date', 'common_concept', 'own_concept', 'amount_cents', 'document', 'reference1', 'reference2', 'concepts', 'status'] as const;

export function createBankStatementService(ds: DataSource, clock: Clock) {
  async function visibleStatement(m: Db, u: AuthUser, id: string): Promise<{ company_id: string }> {
    const s = await one<{ company_id: string }>(m, `SELECT company_id FROM bank_statement WHERE id = ?`, [id]);
    if (!s) throw notFound('bank statement');
    if (!canAccessCompany(u, s.company_id)) throw forbidden();
    return s;
  }
  async function lockedMovement(m: Db, u: AuthUser, id: string) {
    const mv = await one<MovementRow & { status: string; statement_id: string }>(
      m,
      `SELECT id, company_id, statement_id, operation_date, amount_cents, document, reference1, reference2, concepts, status FROM bank_movement WHERE id = ?${forUpdate(m)}`,
      [id],
    );
    if (!mv) throw notFound('bank movement');
    if (!canAccessCompany(u, mv.company_id)) throw forbidden();
    if (mv.status !== 'unmatched') throw refused(409, 'MOVEMENT_NOT_UNMATCHED', `el movimiento ya está ${mv.status === 'matched' ? 'conciliado' : 'ignorado'} / the movement is already ${mv.status}`, 'status');
    return mv;
  }

  return {
    /** Imports the statements of a file; answers them with their movements and how many matched automatically. */
    async importFile(u: AuthUser, b: W.ImportStatementBody): Promise<{ statements: W.BankStatementDetail[]; matched: number }> {
      const companyId = companyOf(u, b.companyId);
      const parsed = parseOrRefuse(b.content);
      const exists = await one(ds.manager, `SELECT id FROM company WHERE id = ?`, [companyId]);
      if (!exists) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${companyId}`, 'companyId');
      if (!canAccessCompany(u, companyId)) throw forbidden();
      try {
        return await writeTransaction(ds, async (m) => {
          const ids: string[] = [];
          let matched = 0;
          for (const st of parsed.statements) {
            const { id, fresh } = await writeStatement(m, u, companyId, parsed.format, st);
            ids.push(id);
            if (b.autoMatch) matched += await autoMatch(m, clock, companyId, fresh, u.id);
          }
          const statements = [];
          for (const id of ids) statements.push(await statementDetail(m, id));
          for (const s of statements) {
            await recordAudit(m, clock, {
              actor: actor(u), action: 'bank_statement.import', entity: 'bank_statement', entityId: s.id, companyId,
              after: { iban: s.iban, from: s.from, to: s.to, movements: s.movementCount, skipped: s.skippedCount, matched: s.matchedCount, fileName: b.fileName ?? null },
            });
          }
          return { statements, matched };
        });
      } catch (e) {
        // Two imports of the same file at once: the second one's insert meets the unique key.
        if (constraintViolation(e)?.kind === 'unique') throw refused(409, 'STATEMENT_ALREADY_IMPORTED', 'este extracto ya se importó / this statement was imported already', 'content');
        throw e;
      }
    },

    async list(u: AuthUser, f: { companyId?: string }, limit: number, offset: number) {
      const params: unknown[] = [];
      let where = `WHERE 1 = 1${scopeSql('s.company_id', visibleCompanyIds(u), params)}`;
      if (f.companyId) {
        where += ' AND s.company_id = ?';
        params.push(f.companyId);
      }
      const total = Number((await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM bank_statement s ${where}`, params))!.n);
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT ${STATEMENT_COLS} ${where} ORDER BY s.to_date DESC, s.imported_at DESC, s.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
      return { rows: rows.map(statementOut), total };
    },

    async detail(u: AuthUser, id: string): Promise<W.BankStatementDetail> {
      await visibleStatement(ds.manager, u, id);
      return statementDetail(ds.manager, id);
    },

    async movements(u: AuthUser, f: { status?: W.MovementStatus; companyId?: string; statementId?: string }, sort: 'operationDate' | 'amountCents', dir: 'asc' | 'desc', limit: number, offset: number) {
      const params: unknown[] = [];
      let where = `WHERE 1 = 1${scopeSql('b.company_id', visibleCompanyIds(u), params)}`;
      for (const [col, v] of [['b.status', f.status], ['b.company_id', f.companyId], ['b.statement_id', f.statementId]] as const) {
        if (v) {
          where += ` AND ${col} = ?`;
          params.push(v);
        }
      }
      const order = sort === 'amountCents' ? 'b.amount_cents' : 'b.operation_date';
      const total = Number((await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM bank_movement b ${where}`, params))!.n);
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT ${MOVEMENT_COLS} ${where} ORDER BY ${order} ${dir === 'desc' ? 'DESC' : 'ASC'}, b.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
      return { rows: rows.map(movementOut), total };
    },

    async matchStatement(u: AuthUser, id: string): Promise<{ matched: number; statement: W.BankStatementDetail }> {
      return writeTransaction(ds, async (m) => {
        const s = await visibleStatement(m, u, id);
        // Locked: a manual match of one of them at the same time waits, then finds it matched (409).
        const open = await all<MovementRow>(m, `SELECT id, company_id, operation_date, amount_cents, document, reference1, reference2, concepts FROM bank_movement WHERE statement_id = ? AND status = 'unmatched' ORDER BY idx${forUpdate(m)}`, [id]);
        const matched = await autoMatch(m, clock, s.company_id, open, u.id);
        if (matched > 0) await recordAudit(m, clock, { actor: actor(u), action: 'bank_statement.match', entity: 'bank_statement', entityId: id, companyId: s.company_id, after: { matched } });
        return { matched, statement: await statementDetail(m, id) };
      });
    },

    /** Open items a movement may be matched to: its company's, of its side, still owed; exact amounts first, then oldest due. */
    async candidates(u: AuthUser, id: string, q: string | undefined): Promise<W.MatchCandidate[]> {
      const mv = await one<{ company_id: string; amount_cents: unknown }>(ds.manager, `SELECT company_id, amount_cents FROM bank_movement WHERE id = ?`, [id]);
      if (!mv) throw notFound('bank movement');
      if (!canAccessCompany(u, mv.company_id)) throw forbidden();
      const signed = Number(mv.amount_cents);
      const amount = Math.abs(signed);
      const params: unknown[] = [mv.company_id, signed >= 0 ? 'receivable' : 'payable'];
      let where = `company_id = ? AND side = ? AND cancelled = ${isPostgres(ds.manager) ? 'false' : '0'} AND balance_cents > 0`;
      if (q) {
        where += ` AND (UPPER(document_ref) LIKE ? OR UPPER(COALESCE(counterparty_name, '')) LIKE ?)`;
        params.push(`%${q.toUpperCase()}%`, `%${q.toUpperCase()}%`);
      }
      const rows = await all<{ id: string; document_ref: string; counterparty_kind: string; counterparty_id: string; counterparty_name: string | null; due_date: string; balance_cents: unknown }>(
        ds.manager,
        `SELECT id, document_ref, counterparty_kind, counterparty_id, counterparty_name, due_date, balance_cents FROM open_item WHERE ${where}
          ORDER BY CASE WHEN balance_cents = ? THEN 0 ELSE 1 END, due_date, id LIMIT 50`,
        [...params, amount],
      );
      return rows.map((r) => ({
        id: r.id, documentRef: r.document_ref, counterpartyKind: r.counterparty_kind, counterpartyId: r.counterparty_id, counterpartyName: r.counterparty_name,
        dueDate: r.due_date, balanceCents: Number(r.balance_cents), exactAmount: Number(r.balance_cents) === amount,
      }));
    },

    /** Matches a movement by hand to open items; the part of it not allocated is the counterparty's credit. */
    async matchMovement(u: AuthUser, id: string, b: W.ManualMatchBody): Promise<W.BankMovementItem> {
      return writeTransaction(ds, async (m) => {
        const mv = await lockedMovement(m, u, id);
        const signed = Number(mv.amount_cents);
        if (signed === 0) throw refused(422, 'VALUE_REFUSED', 'un movimiento de importe cero no se concilia / a zero movement is not matched', 'lines');
        const side: Side = signed > 0 ? 'receivable' : 'payable';
        const amount = Math.abs(signed);
        const errors: FieldError[] = [];
        const seen = new Set<string>();
        const items = await all<{ id: string; company_id: string; side: string; counterparty_kind: string; counterparty_id: string; counterparty_name: string | null; balance_cents: unknown; cancelled: unknown }>(
          m,
          `SELECT id, company_id, side, counterparty_kind, counterparty_id, counterparty_name, balance_cents, cancelled FROM open_item WHERE id IN (${inList(b.lines.length)})`,
          b.lines.map((l) => l.itemId),
        );
        const byId = new Map(items.map((i) => [i.id, i]));
        let first: (typeof items)[number] | undefined;
        b.lines.forEach((l, i) => {
          const it = byId.get(l.itemId);
          if (!it) return errors.push({ path: `lines.${i}.itemId`, message: 'vencimiento desconocido / unknown open item' });
          if (seen.has(l.itemId)) errors.push({ path: `lines.${i}.itemId`, message: 'el mismo vencimiento dos veces / the same item twice' });
          seen.add(l.itemId);
          if (it.company_id !== mv.company_id) return errors.push({ path: `lines.${i}.itemId`, message: 'el vencimiento es de otra empresa / the item belongs to another company' });
          if (it.side !== side) errors.push({ path: `lines.${i}.itemId`, message: side === 'receivable' ? 'un ingreso solo salda cobros / a credit settles receivables only' : 'un cargo solo salda pagos / a debit settles payables only' });
          first ??= it;
          if (it.counterparty_kind !== first.counterparty_kind || it.counterparty_id !== first.counterparty_id) errors.push({ path: `lines.${i}.itemId`, message: 'todos los vencimientos deben ser del mismo tercero / all items must be of one counterparty' });
          if (l.amountCents > Number(it.balance_cents)) errors.push({ path: `lines.${i}.amountCents`, message: `más que el saldo pendiente / more than the balance (${(Number(it.balance_cents) / 100).toFixed(2)})` });
          return undefined;
        });
        const total = b.lines.reduce((s, l) => s + l.amountCents, 0);
        if (total > amount) errors.push({ path: 'lines', message: `la suma (${(total / 100).toFixed(2)}) supera el movimiento (${(amount / 100).toFixed(2)}) / the lines add up to more than the movement` });
        if (errors.length > 0 || !first) throw invalid('La conciliación tiene datos no válidos / The match has invalid values', errors);
        const payment = await paymentForMovement(
          m,
          clock,
          {
            companyId: mv.company_id, side, counterparty: { kind: first.counterparty_kind as 'company', id: first.counterparty_id, name: first.counterparty_name },
            amountCents: amount, onDate: mv.operation_date, reference: [mv.reference1, mv.reference2].filter((r) => r && !/^0+$/.test(r)).join(' ') || mv.id, movementId: mv.id, note: b.note ?? null,
          },
          b.lines.map((l) => ({ itemId: l.itemId, amountCents: l.amountCents })),
          u.id,
        );
        await exec(m, `UPDATE bank_movement SET status = 'matched', match_kind = 'manual', payment_id = ?, note = ?, matched_at = ?, matched_by = ? WHERE id = ?`, [payment.id, b.note ?? null, iso(clock), u.id, id]);
        await recordAudit(m, clock, { actor: actor(u), action: 'bank_movement.match', entity: 'bank_movement', entityId: id, companyId: mv.company_id, after: { paymentId: payment.id, number: payment.number, lines: b.lines } });
        return movementOut((await one<Record<string, unknown>>(m, `SELECT ${MOVEMENT_COLS} WHERE b.id = ?`, [id]))!);
      });
    },

    async ignoreMovement(u: AuthUser, id: string, note: string): Promise<W.BankMovementItem> {
      return writeTransaction(ds, async (m) => {
        const mv = await lockedMovement(m, u, id);
        await exec(m, `UPDATE bank_movement SET status = 'ignored', note = ?, matched_at = ?, matched_by = ? WHERE id = ?`, [note, iso(clock), u.id, id]);
        await recordAudit(m, clock, { actor: actor(u), action: 'bank_movement.ignore', entity: 'bank_movement', entityId: id, companyId: mv.company_id, after: { note } });
        return movementOut((await one<Record<string, unknown>>(m, `SELECT ${MOVEMENT_COLS} WHERE b.id = ?`, [id]))!);
      });
    },
  };

  /** Writes one statement and its new movements; answers its id and the movements written (for the matching). */
  async function writeStatement(m: Db, u: AuthUser, companyId: string, format: 'norma43' | 'camt053', st: BankStatement): Promise<{ id: string; fresh: MovementRow[] }> {
    let iban: string;
    try {
      iban = ibanOf(st.account);
    } catch (e) {
      if (e instanceof BankStatementError) throw invalid('Cuenta no válida / Invalid account', [{ path: 'content', message: e.message }]);
      throw e;
    }
    const at = iso(clock);
    let account = await one<{ id: string; company_id: string }>(m, `SELECT id, company_id FROM bank_account WHERE iban = ?`, [iban]);
    if (account && account.company_id !== companyId) throw refused(422, 'ACCOUNT_OF_ANOTHER_COMPANY', `la cuenta ${iban} es de otra empresa / account ${iban} belongs to another company`, 'companyId');
    if (!account) {
      account = { id: newRowId(clock), company_id: companyId };
      await exec(m, `INSERT INTO bank_account (id, company_id, iban, name, currency, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [account.id, companyId, iban, `Cuenta …${iban.slice(-4)}`, st.account.currency, at]);
    }
    const key = statementKey(st);
    if (await one(m, `SELECT id FROM bank_statement WHERE statement_key = ?`, [key])) {
      throw refused(409, 'STATEMENT_ALREADY_IMPORTED', `este extracto (${iban}, ${st.from} – ${st.to}) ya se importó / this statement was imported already`, 'content');
    }
    const keys = movementKeys(st);
    const known = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      for (const r of await all<{ movement_key: string }>(m, `SELECT movement_key FROM bank_movement WHERE movement_key IN (${inList(part.length)})`, part)) known.add(r.movement_key);
    }
    const id = newRowId(clock);
    const fresh: MovementRow[] = [];
    const rows: unknown[][] = [];
    st.movements.forEach((mv, i) => {
      const k = keys[i]!;
      if (known.has(k)) return;
      known.add(k);
      const row: MovementRow = { id: newRowId(clock), company_id: companyId, operation_date: mv.operationDate, amount_cents: mv.amountCents, document: mv.document, reference1: mv.reference1, reference2: mv.reference2, concepts: mv.concepts.join('\n') };
      fresh.push(row);
      rows.push([row.id, id, companyId, k, i + 1, mv.operationDate, mv.valueDate, mv.commonConcept, mv.ownConcept, mv.amountCents, mv.document, mv.reference1, mv.reference2, row.concepts, 'unmatched']);
    });
    await exec(
      m,
      `INSERT INTO bank_statement (id, company_id, account_id, statement_key, format, from_date, to_date, opening_balance_cents, closing_balance_cents, debit_count, debit_cents, credit_count, credit_cents, movement_count, skipped_count, imported_at, imported_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, companyId, account.id, key, format, st.from, st.to, st.openingBalanceCents, st.closingBalanceCents, st.debits.count, st.debits.totalCents, st.credits.count, st.credits.totalCents, fresh.length, st.movements.length - fresh.length, at, u.id],
    );
    await insertMany(m, 'bank_movement', MOVEMENT_INSERT, rows);
    return { id, fresh };
  }
}
