/** Moved to review/repository.ts (the review module's repository); the admin UI still imports its types from here. */
export type { ReviewDecisionView, ReviewDetail, ReviewItemView, ReviewPage } from '@tpv/shared/wire/http/review';
