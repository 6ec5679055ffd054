/** Platform module's repository: the health check's database round trip. */
import type { DataSource } from 'typeorm';

export const pingDatabase = (ds: DataSource): Promise<unknown> => ds.query('SELECT 1');
