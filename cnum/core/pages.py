"""Paged lists: one page of rows and the list's other query parameters for its page links."""

from django.core.paginator import Paginator


def paginate(request, rows, per_page, number=None):
    """The requested page (Paginator.get_page tolerates junk) and the query string without it."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page") if number is None else number)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
