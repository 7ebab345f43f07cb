from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from cnum.core import encryption


@register(Tags.security, deploy=True)
def cv_encryption_key(app_configs, **kwargs):
    """Fail the deployment checklist, not the first CV upload, when the CV key is missing."""
    if settings.DEBUG:
        return []
    try:
        encryption.fernet()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="candidates.E001")]
    return []
