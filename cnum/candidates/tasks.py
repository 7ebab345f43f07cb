from django_tasks import task

from cnum.candidates import services


@task()
def purge_expired_cvs() -> int:
    """Retention: CVs are deleted six months after upload (run daily, see purge_cvs)."""
    return services.purge_expired_cvs()
