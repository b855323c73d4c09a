/**
 * Data-subject rights: subject keys (keyed digests of identifiers), the suppression list checked at
 * ingest, the subject index, the registry of stores that deletion and retention reach, deletion
 * requests (stores + destinations) and the retention job.
 * @example
 * import { findSuppressed } from '../rights/index.ts';
 * const suppressed = await findSuppressed(env.DB, site.id, events);
 */
export { subjectKey, eventSubjectKeys, SUBJECT_KINDS, type SubjectKind } from './subject-key.ts';
export { findSuppressed, suppressedCountStatements, suppressedAmong, suppressedCount } from './suppression.ts';
export { subjectIndexStatements, eventIdsOf } from './subject-index.ts';
export { DATA_STORES, DEFAULT_RETENTION_MS, eventIdTable, type DataStore, type PurgeTarget, type PurgeCount, type RetentionKind } from './data-stores.ts';
export { runDeletion, loadDeletion, DeletionBody, type DeletionRecord, type DeletionIdentifiers } from './deletion-request.ts';
export { requestDestinationDeletions, type DestinationDeletion } from './destination-deletions.ts';
export { dropPurged } from './drop-purged.ts';
export { runRetention, listRetentionRuns, ttlMs, type RetentionRun } from './run-retention.ts';
export { privacyAdminRoute } from './privacy-admin-route.ts';
