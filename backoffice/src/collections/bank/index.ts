/** Bank statements (issue 13): Norma 43 and camt.053 into one BankStatement shape, and movement keys. */
export * from './statement';
export { decodeNorma43, parseNorma43, writeNorma43 } from './norma43';
export { CAMT053_NS, parseCamt053, writeCamt053, type Camt053WriteOptions } from './camt053';
export { detectStatementFormat, parseStatementFile, type BankStatementFormat, type ParsedStatementFile } from './statement-file';
