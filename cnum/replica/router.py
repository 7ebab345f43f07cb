"""Database router: replica reads only inside a replica-readable request, before any write."""

from django.db import connections

from cnum.replica import health, state

# Sessions, accounts and roles, API tokens, login throttles, second factors, the task queue and
# the database cache: always read on the primary, where access decisions must be current.
PRIMARY_ONLY_APPS = {
    "sessions",
    "auth",
    "contenttypes",
    "accounts",
    "profiles",
    "api",
    "axes",
    "otp_totp",
    "otp_static",
    "oauth2_provider",
    "django_tasks_db",
    "django_cache",
}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = state.current.get()
        if reads is None or not reads.replica_allowed or reads.wrote:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if connections["default"].in_atomic_block:  # a transaction reads its own writes
            return None
        if reads.use_replica is None:
            reads.use_replica = health.configured() and health.replica_status().usable
        return health.ALIAS if reads.use_replica else None

    def db_for_write(self, model, **hints):
        reads = state.current.get()
        if reads is not None:
            reads.wrote = True  # from now on this request reads what it wrote: the primary
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects read on either may be related.
        if {obj1._state.db, obj2._state.db} <= {"default", health.ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == health.ALIAS else None
