from django_tasks import task

from cnum.stats.public import refresh_if_older_than, refresh_publication


@task()
def refresh_public_statistics(if_older_than: int | None = None) -> str | None:
    """New snapshot of the public statistics (every 15 minutes, see publish_stats; or asked by a
    page that found it stale, in which case `if_older_than` skips it when it is recent again)."""
    data = refresh_publication() if if_older_than is None else refresh_if_older_than(if_older_than)
    return data.computed_at.isoformat() if data else None
