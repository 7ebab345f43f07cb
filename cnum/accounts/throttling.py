"""django-axes hooks (see settings.AXES_USERNAME_CALLABLE)."""

from django.conf import settings


def axes_username(request, credentials=None):
    """The e-mail as the login form sees it: case and spaces must not reset the failure count."""
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(field) if hasattr(source, "get") else None
    return (value or "").strip().lower()[:254] or None
