export * from './days';
export * from './open-items';
export * from './allocation';
export * from './aging';
export * from './interest';
export * from './dunning';
export * from './statement-of-account';
