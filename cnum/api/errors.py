"""Invalid parameters answer 400 with French messages (pydantic's own are in English)."""

from ninja.errors import ValidationError

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
