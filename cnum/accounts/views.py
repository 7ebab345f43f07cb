from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"


@login_not_required
def signup(request):
    return render(request, "accounts/signup.html")


def dashboard(request):
    return render(request, "accounts/dashboard.html")
