/** Collections and payments → journal entries (issue 14): the builders (lines.ts) and the listener (post.ts). */
export { postCollections } from './post';
export * from './lines';
