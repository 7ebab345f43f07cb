"""Confirmation pages for irreversible actions, working without JavaScript.

A view of an irreversible action answers GET (and a POST without `confirm`) with a page saying
what will happen and a form posting `confirm=1`; only that second POST acts. So a stale one-click
button, a replayed form or a crawler never changes anything.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmed(request):
    """True only for the POST of the confirmation page itself."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirmation_page(
    request,
    *,
    title,
    consequences,
    confirm_label,
    cancel_url,
    form=None,
    details=(),
    status=200,
):
    """Render templates/core/confirm.html: the title, what will happen (one sentence or a list),
    optional details (label, value) pairs, an optional form (a reason…) and the two buttons."""
    if isinstance(consequences, str):
        consequences = [consequences]
    context = {
        "title": title,
        "consequences": consequences,
        "details": details,
        "form": form,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "action_url": request.path,
        "confirm_field": CONFIRM_FIELD,
    }
    return render(request, "core/confirm.html", context, status=status)
