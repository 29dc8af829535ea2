/**
 * PostgreSQL advisory lock keys (the two-int4 form), in classes of Cairn's own so they cannot meet an
 * application's lock that shares the database. Fixed forever: the event sequence key is used by migration 001.
 */
export const CAIRN_LOCK_CLASS = 0x43414952; // "CAIR"
/** Held by a transaction from its first event append to its commit: makes seq order = commit order. */
export const EVENT_SEQUENCE_KEY = 1;
/** Held by every writing transaction from its first statement to its commit: writers across all nodes take turns. */
export const WRITER_KEY = 3;
/** Held by the node running migrations, so nodes starting together migrate one after another. */
export const MIGRATION_KEY = 2;
/** Named leases and exclusive jobs: the second int is hashtext(name). */
export const CAIRN_LEASE_CLASS = 0x43414953; // "CAIS"
