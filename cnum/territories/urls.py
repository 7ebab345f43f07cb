from django.urls import path, register_converter

from cnum.territories import views


class InseeCodeConverter:
    """Five digits, or 2A/2B and three digits (Corsica)."""

    regex = r"[0-9]{5}|2[AB][0-9]{3}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(InseeCodeConverter, "insee")

app_name = "territories"

urlpatterns = [
    path("communes/", views.search, name="search"),
    path("communes/suggestions/", views.autocomplete, name="autocomplete"),
    path("communes/<insee:code_insee>/", views.commune, name="commune"),
]
