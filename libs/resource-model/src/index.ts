export * from './kind-definition';
export * from './kinds';
export * from './registry';
export * from './api-errors';
export * from './status';
export * from './discovery';
export * from './aggregated-discovery';
export { defaultPullPolicy, defaultPodSpec } from './pod-defaults';
export { applyDefaults } from './workload-defaults';
export * from './json-schema';
export { definition, resolveSchema, closure } from './schema-registry';
export { PATCH_METADATA, type PatchMeta } from './patch-metadata';
export { applyJsonPatch } from './json-patch';
export { applyMergePatch, createMergePatch } from './merge-patch';
export { applyStrategicMergePatch } from './strategic-merge-patch';
export { applyPatchOfType, PatchType } from './apply-patch';
export {
  validateCreate,
  validateUpdate,
  FieldValidation,
  type ValidateOptions,
  type ValidationOutcome,
} from './validate';
export { findUnknownFields } from './unknown-fields';
export { schemaCauses, fieldPath } from './schema-validation';
export {
  nameProblems,
  qualifiedNameProblems,
  NameRule,
  MAX_ANNOTATIONS_BYTES,
} from './metadata-validation';
export { selectorMatches } from './label-selector';
export {
  toTable,
  TABLE_CONTENT_TYPE,
  IncludeObject,
  type Table,
  type TableOptions,
  type TableRow,
  type TableColumnDefinition,
} from './table';
export { humanDuration } from './human-duration';
export { podStatusReason } from './pod-status';
export { openApiV2, OPENAPI_INFO } from './openapi';
export { openApiV3Index, openApiV3Document } from './openapi-v3';
export { toList, type ListMeta } from './list';
export { prepareJobSelector } from './job-selector';
export { prepareForCreate, prepareForUpdate, prepareForStatusUpdate } from './update-strategy';
