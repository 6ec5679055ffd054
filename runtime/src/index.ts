export * from './http-service';
export * from './health';
export * from './problem';
export * from './attempts';
export * from './request-id';
