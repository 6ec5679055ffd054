export * from './codepage';
export * from './encoder';
export * from './decoder';
export * from './render';
export * from './code128';
export * from './logo';
export * from './bitmap';
