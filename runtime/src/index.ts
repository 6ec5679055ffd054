export * from './http-service';
export * from './health';
export * from './problem';
export * from './attempts';
