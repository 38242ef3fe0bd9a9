export * from './types';
export { openStore } from './open-store';
export { PgStore, commitChannel } from './pg-store';
export { runMigrations } from './data-source';
export type { StoreMetrics } from './metrics';
export {
  parseLabelSelector,
  matchesLabels,
  validateLabelKey,
  validateLabelValue,
  LabelOp,
} from './selectors/label-selector';
export type { LabelRequirement, LabelSelector } from './selectors/label-selector';
export { parseFieldSelector, matchesFields, fieldValue } from './selectors/field-selector';
export type { FieldRequirement, FieldSelector } from './selectors/field-selector';
export { matches, type Selector } from './selectors/matches';
export { encodeContinue, decodeContinue, type ContinuePosition } from './continue-token';
export { rebuildProjection, type RebuildResult, type ProjectionDifference } from './ops/rebuild';
export { MAX_OBJECT_BYTES, isDns1123Label, isDns1123Subdomain } from './validation';
export { CONTINUE_TOO_OLD, qualifiedResource } from './store-errors';
export { retryOnConflict, GUARANTEED_WRITE_ATTEMPTS, type Commit } from './retry-on-conflict';
