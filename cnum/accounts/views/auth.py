"""Login, logout, sign-up, e-mail confirmation and passwords."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts import forms, proconnect, services, throttling
from cnum.accounts.policies import second_factor_pending, second_factor_url
from cnum.accounts.tokens import EMAIL_CONFIRMATION_TIMEOUT
from cnum.core.mail import send_templated_email


def throttled(request, message):
    """The French page of a per-address limit (HTTP 429)."""
    context = {"title": "Trop de demandes", "message": message}
    response = render(request, "accounts/throttled.html", context, status=429)
    response["Retry-After"] = str(throttling.HOUR)
    return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proconnect_enabled"] = proconnect.is_configured()
        return context

    def post(self, request, *args, **kwargs):
        if throttling.login_blocked(request):
            return throttled(
                request,
                "De nombreuses connexions ont échoué depuis votre connexion internet en peu de "
                "temps : les connexions depuis cette adresse sont suspendues.",
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.get_user() is None:  # wrong e-mail or password, not an unconfirmed address
            throttling.count_login_failure(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        if second_factor_pending(user):
            return redirect(second_factor_url(user, self.get_success_url()))
        return response


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule); open to anonymous visitors so an expired session logs out too."""


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    if request.method == "POST" and not throttling.signup_allowed(request):
        return throttled(
            request, "De nombreuses inscriptions ont été envoyées depuis votre connexion."
        )
    form = forms.SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The same page follows whether or not the address already had an account.
        services.register_user(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "title": "Créer un compte"})


@login_not_required
@require_GET
def signup_done(request):
    return render(
        request,
        "accounts/signup_done.html",
        {"title": "Consultez votre messagerie", "days": EMAIL_CONFIRMATION_TIMEOUT // 86400},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, uidb64, token):
    """The link opens a page; only its button (a POST) confirms, so a mail scanner that
    follows links confirms nothing."""
    if request.method == "POST":
        user = services.confirm_email(uidb64, token)
    else:
        user = services.email_link_user(uidb64, token)
    confirmed = bool(user and user.email_confirmed_at)
    if user is None:
        title = "Lien invalide ou expiré"
    else:
        title = "Adresse électronique confirmée" if confirmed else "Confirmer votre adresse"
    context = {"link_user": user, "confirmed": confirmed, "title": title}
    return render(request, "accounts/confirm.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    if request.method == "POST" and not throttling.resend_allowed(request):
        return throttled(
            request, "De nombreuses demandes de lien ont été envoyées depuis votre connexion."
        )
    form = forms.ResendConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(form.cleaned_data["email"])
        # Same answer whether or not the address has an account.
        messages.info(
            request,
            "Si un compte en attente de confirmation correspond à cette adresse, un nouveau "
            "lien vient d'y être envoyé.",
        )
        return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/resend_confirmation.html",
        {"form": form, "title": "Recevoir un nouveau lien de confirmation"},
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}

    def form_valid(self, form):
        if not throttling.reset_allowed(self.request):
            return throttled(
                self.request,
                "De nombreuses demandes de réinitialisation de mot de passe ont été envoyées "
                "depuis votre connexion.",
            )
        if not throttling.reset_mail_allowed(form.cleaned_data["email"]):
            # Enough links sent to this address for now; the same answer as when one is sent.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": "Consultez votre messagerie"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.ResetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": "Choisir un nouveau mot de passe"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": "Mot de passe modifié"}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"title": "Modifier mon mot de passe"}

    def form_valid(self, form):
        response = super().form_valid(form)
        # Tell the owner, in case it was not them.
        send_templated_email(
            "accounts/emails/password_changed", {"user": form.user}, [form.user.email]
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"title": "Mot de passe modifié"}
