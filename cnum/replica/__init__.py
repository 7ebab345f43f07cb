"""Reads on a streaming replica (DATABASE_REPLICA_URL), for the views that opt in.

Statistics pages, exports, the public map and the open-data feeds read from the "replica"
database (middleware.REPLICA_READABLE_VIEWS); everything else, every write, and every read that
follows a write in the same request go to the primary. A replica that lags beyond
REPLICA_MAX_LAG_SECONDS or does not answer is skipped (health.replica_status), and the
readiness check reports it (health.ReplicaLagCheck).
"""
