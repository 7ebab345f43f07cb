"""The public pages of the "toujours disponible ?" links (cnum.candidates.survey).

The link opens a page; only its button (a POST) records the answer, so a mail scanner that
follows links changes nothing. A tampered or expired link: a French page and a 400.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cnum.candidates import survey


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request, answer, token):
    if answer not in survey.ANSWERS:
        raise Http404
    profile = survey.profile_of_token(token)
    if profile is None:
        context = {"title": "Lien invalide ou expiré", "invalid": True}
        return render(request, "candidates/survey.html", context, status=400)
    available = survey.ANSWERS[answer]
    context = {"profile": profile, "available": available, "answer": answer}
    if request.method == "POST":
        context["now_available"] = survey.answer(profile, available)
        context["done"] = True
        context["title"] = "Merci pour votre réponse"
    else:
        context["title"] = "Êtes-vous toujours disponible ?"
    return render(request, "candidates/survey.html", context)
