export * from './contract/objects';
export { openStore } from './postgres/open-store';
export { PgStore, commitChannel } from './postgres/pg-store';
export { runMigrations } from './postgres/data-source';
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
export { rebuildProjection, type RebuildResult, type ProjectionDifference } from './postgres/rebuild';
export { MAX_OBJECT_BYTES, isDns1123Label, isDns1123Subdomain } from './validation';
export { CONTINUE_TOO_OLD, qualifiedResource } from './store-errors';
