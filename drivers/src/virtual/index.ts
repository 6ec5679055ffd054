export * from './printer';
export * from './drawer';
export * from './pty';
export * from './scanner';
export * from './pole-display';
