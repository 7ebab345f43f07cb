"""The API's error answers, declared once: every refusal is JSON with a French `detail`.

Invalid parameters answer 400 with French messages (pydantic's own are in English), in the
shape the NUL-byte guard of cnum.core.middleware also uses.
"""

from functools import partial

from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError

UNAUTHENTICATED = (
    "Authentification requise : présentez un jeton valide (Authorization: Bearer <jeton>) "
    "ou connectez-vous."
)
FORBIDDEN = "Ce jeton n'a pas la portée nécessaire à ce service."
NOT_FOUND = "Ressource introuvable."


class Error(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class InvalidParameter(Schema):
    loc: list[str | int] = Field(description='Emplacement du paramètre : ["query", "limit"].')
    msg: str = Field(description="Ce qui ne va pas, en français.")
    type: str


class InvalidParameters(Schema):
    detail: list[InvalidParameter]


# Error schema of each refusal status an endpoint may declare.
ERRORS = {400: InvalidParameters, 401: Error, 403: Error, 404: Error, 429: Error}


def responses(ok, *statuses):
    """`response=` of an endpoint: `ok` for 200, then 400 (every endpoint: bad parameters or an
    unreadable query string) and the other refusal `statuses` it may answer."""
    return {200: ok, **{status: ERRORS[status] for status in (400, *statuses)}}


MESSAGES = {
    "missing": "Paramètre obligatoire.",
    "string_too_short": "Au moins {min_length} caractère(s).",
    "string_too_long": "Au plus {max_length} caractères.",
    "greater_than_equal": "Doit être supérieur ou égal à {ge}.",
    "less_than_equal": "Doit être inférieur ou égal à {le}.",
    "greater_than": "Doit être supérieur à {gt}.",
    "less_than": "Doit être inférieur à {lt}.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu.",
    "float_parsing": "Nombre attendu.",
    "float_type": "Nombre attendu.",
    "bool_parsing": "Valeur attendue : true ou false.",
    "string_type": "Texte attendu.",
    "json_invalid": "JSON invalide.",
    "enum": "Valeur non autorisée.",
    "literal_error": "Valeur non autorisée.",
}


def french_message(error):
    if error.get("type") == "value_error":
        # Our own validators already speak French; pydantic prefixes them with "Value error, ".
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = MESSAGES.get(error.get("type"), "Valeur invalide.")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return "Valeur invalide."


def validation_error(request, exc: ValidationError, api):
    """Same shape as django-ninja's default ({"detail": [{loc, msg, type}]}), French `msg`."""
    errors = [
        {"loc": list(error.get("loc", [])), "msg": french_message(error), "type": error.get("type")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=400)


def refusal(message, status):
    def handler(request, exc, api):
        return api.create_response(request, {"detail": message}, status=status)

    return handler


def add_error_handlers(api):
    """French answers for every refusal, in the declared shapes."""
    api.add_exception_handler(ValidationError, partial(validation_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(refusal(UNAUTHENTICATED, 401), api=api))
    api.add_exception_handler(AuthorizationError, partial(refusal(FORBIDDEN, 403), api=api))
    api.add_exception_handler(Http404, partial(refusal(NOT_FOUND, 404), api=api))
