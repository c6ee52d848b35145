export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type TrailOptions } from './main.js';
export { runBackfill } from './run-backfill.js';
export { type ReconcileOptions, runReconcile } from './run-reconcile.js';
