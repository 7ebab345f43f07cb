from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def search(request):
    return render(request, "territories/search.html", {"title": "Communes"})
