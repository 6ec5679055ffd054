/**
 * The files area: saves bytes in the FileStore and indexes them in `stored_file` with an owner scope, so a
 * download is checked against the caller's scope like any other row. Exports, PDFs and imports of every
 * module go through here.
 */
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { AuthUser } from '../../auth/service';
import { newRowId } from '../../persistence/row-id';
import { mayAccessOwned, scopeFilterOf, type OwnerScope } from '../owner-scope';
import { deleteFileRow, findFile, insertFile, listFiles, type StoredFile } from './repository';
import type { FileStore } from './store';

export type { StoredFile } from './repository';

export interface SaveFile {
  name: string;
  mediaType: string;
  /** What the file is for: `import`, `export`, `pdf`, `job-result`… */
  purpose: string;
  owner: OwnerScope;
  data: Buffer | Readable | AsyncIterable<Uint8Array>;
  maxBytes?: number;
}

export function createFiles(ds: DataSource, clock: Clock, store: FileStore) {
  return {
    store,
    async save(f: SaveFile): Promise<StoredFile> {
      const id = newRowId(clock);
      const createdAt = new Date(clock.now()).toISOString();
      const storageKey = `${createdAt.slice(0, 7)}/${id}`;
      const { sizeBytes, sha256 } = await store.put(storageKey, f.data, f.maxBytes !== undefined ? { maxBytes: f.maxBytes } : {});
      const row: StoredFile = {
        id, name: f.name.slice(0, 255), mediaType: f.mediaType.slice(0, 128), sizeBytes, sha256, storageKey, purpose: f.purpose.slice(0, 32),
        companyId: f.owner.companyId, storeId: f.owner.storeId, createdBy: f.owner.createdBy, createdAt,
      };
      try {
        await insertFile(ds, row);
      } catch (e) {
        await store.delete(storageKey);
        throw e;
      }
      return row;
    },
    find: (id: string) => findFile(ds, id),
    /** The file when the user may read it: `null` unknown, `'forbidden'` outside their scope. */
    async readable(user: AuthUser, id: string): Promise<StoredFile | null | 'forbidden'> {
      const f = await findFile(ds, id);
      if (!f) return null;
      return mayAccessOwned(user, f) ? f : 'forbidden';
    },
    open: (f: StoredFile) => store.stream(f.storageKey),
    bytes: (f: StoredFile) => store.get(f.storageKey),
    localPath: (f: StoredFile) => store.localPath?.(f.storageKey),
    list: (user: AuthUser, q: { offset: number; limit: number; purpose?: string | undefined }) => listFiles(ds, scopeFilterOf(user), q),
    async remove(f: StoredFile): Promise<void> {
      await deleteFileRow(ds, f.id);
      await store.delete(f.storageKey);
    },
  };
}

export type Files = ReturnType<typeof createFiles>;
