export * from './codes';
export * from './policy';
export * from './wire';
