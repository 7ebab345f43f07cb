"""django-tasks-db's backend, storing with each task the log context of whoever enqueued it
(request id, user id), so that the worker's log lines and e-mails carry the same request id."""

import structlog
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json

# Next to "args" and "kwargs" in the task row's JSON; django-tasks-db reads only those two.
CONTEXT_KEY = "log_context"
PROPAGATED = ("request_id", "user_id")


def current_context():
    context = structlog.contextvars.get_contextvars()
    return {key: context[key] for key in PROPAGATED if context.get(key) is not None}


def stored_context(task_result):
    db_result = getattr(task_result, "db_result", None)
    return (db_result.args_kwargs.get(CONTEXT_KEY) or {}) if db_result else {}


class ContextDatabaseBackend(DatabaseBackend):
    def _row(self, task, args, kwargs):
        payload = {"args": args, "kwargs": kwargs}
        if context := current_context():
            payload[CONTEXT_KEY] = context
        return {
            "id": self._get_id(),
            "args_kwargs": normalize_json(payload),
            "priority": task.priority,
            "task_path": task.module_path,
            "queue_name": task.queue_name,
            "run_after": task.run_after,
            "backend_name": self.alias,
        }

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(**self._row(task, args, kwargs))

    async def _atask_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return await DBTaskResult.objects.acreate(**self._row(task, args, kwargs))
