/**
 * Feed epochs: each back-office start (each open of the database) records from which change-log version on
 * its changes are numbered (`sync_epoch`). A page tells the till the epoch at its `toVersion`; the till sends
 * it back in its hello. When the database was put back to an older copy (a power cut undone by a restore,
 * another database), the versions the till holds were numbered again by a later start: the epoch at that
 * version is no longer the one the till was given (or the version is beyond HQ's feed), and the till is told
 * to pull everything again (`hello:ack.catalogReset`). A normal restart loses nothing: versions up to the
 * restart keep their epoch.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { latestChangeVersion } from './change-log';

/** Starts a new epoch at the next version (call once when the database is opened). */
export async function startEpoch(ds: DataSource, nowIso: string): Promise<string> {
  const epoch = randomUUID();
  const pg = ds.options.type === 'postgres';
  const first = (await latestChangeVersion(ds.manager)) + 1;
  await ds.transaction(async (m) => {
    // An earlier start that numbered no change yet (same first version, or above: its changes are not in
    // this database) gives way: the versions from `first` on are this start's, whatever a till was told.
    await m.query(`DELETE FROM sync_epoch WHERE first_version >= ${pg ? '$1' : '?'}`, [first]);
    await m.query(`INSERT INTO sync_epoch (epoch, first_version, started_at) VALUES (${pg ? '$1, $2, $3' : '?, ?, ?'})`, [epoch, first, nowIso]);
  });
  return epoch;
}

/** The epoch version `version` belongs to ('0' before any recorded start). */
export async function epochAt(m: EntityManager, version: number): Promise<string> {
  const pg = m.connection.options.type === 'postgres';
  const rows = (await m.query(
    `SELECT epoch FROM sync_epoch WHERE first_version <= ${pg ? '$1' : '?'} ORDER BY first_version DESC, epoch DESC LIMIT 1`,
    [version],
  )) as Array<{ epoch: string }>;
  return rows[0]?.epoch ?? '0';
}

/** Whether a till's (version, epoch) is still part of HQ's feed; false → it must pull from 0. */
export async function feedHolds(m: EntityManager, latest: number, version: number, epoch: string | undefined): Promise<boolean> {
  if (version > latest) return false;
  if (version === 0 || epoch === undefined) return true;
  return (await epochAt(m, version)) === epoch;
}
