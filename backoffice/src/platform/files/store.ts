/**
 * The files area's port: where the bytes of PDFs, exports and uploaded imports live. The index (name, media
 * type, size, sha256, owner scope) is the `stored_file` table (./repository.ts); this is only the bytes, by
 * key. The local-folder adapter keeps them under `<dataDir>/files`; an object-store adapter can replace it
 * for several nodes without shared disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface PutResult {
  sizeBytes: number;
  sha256: string;
}

export interface FileStore {
  /** Writes the bytes under `key` (atomically: a reader never sees half a file). Refuses more than `maxBytes`. */
  put(key: string, data: Buffer | Readable | AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<PutResult>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Readable;
  delete(key: string): Promise<void>;
  /** A path on local disk when the adapter has one (the XLSX reader and the CLI read it directly). */
  localPath?(key: string): string;
}

/** Thrown by `put` when the data is larger than allowed (the HTTP edge answers 413). */
export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function localFileStore(root: string): FileStore {
  const full = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe file key: ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, data, opts = {}) {
      const target = full(key);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.part`;
      const hash = createHash('sha256');
      let size = 0;
      const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > max) return cb(new FileTooLarge(max));
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const source = Buffer.isBuffer(data) ? Readable.from([data]) : Readable.from(data);
      try {
        await pipeline(source, meter, createWriteStream(tmp));
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      return { sizeBytes: size, sha256: hash.digest('hex') };
    },
    get: (key) => readFile(full(key)),
    stream: (key) => createReadStream(full(key)),
    delete: (key) => rm(full(key), { force: true }),
    localPath: (key) => full(key),
  };
}
