// The contract: three parts and the whole.
export * from './contract/objects';
export * from './contract/event-log';
export * from './contract/object-store';
export * from './contract/coordination';
export type { Store } from './contract/store';
// The Postgres dialect.
export { openStore } from './postgres/open-store';
export type { StoreOptions } from './postgres/store-options';
export { PgStore } from './postgres/pg-store';
export { commitChannel } from './postgres/commit-channel';
export { runMigrations } from './postgres/data-source';
export {
  rebuildProjection,
  type RebuildResult,
  type ProjectionDifference,
} from './postgres/rebuild';
export type { StoreMetrics } from './metrics';
// Dialect-free helpers: selectors, continue tokens, validation, errors.
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
export { MAX_OBJECT_BYTES, isDns1123Label, isDns1123Subdomain } from './validation';
export { CONTINUE_TOO_OLD, qualifiedResource, tooLargeResourceVersion } from './store-errors';
export {
  retryOnConflict,
  GUARANTEED_WRITE_ATTEMPTS,
  type Commit,
} from './object-store/retry-on-conflict';
