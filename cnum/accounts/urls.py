from django.urls import path

from cnum.accounts.views import api_tokens, auth, dashboard, two_factor

app_name = "accounts"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path("deconnexion/", auth.LogoutView.as_view(), name="logout"),
    path("inscription/", auth.signup, name="signup"),
    path("inscription/envoyee/", auth.signup_done, name="signup_done"),
    path("confirmation/renvoyer/", auth.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:uidb64>/<str:token>/", auth.confirm, name="confirm"),
    path("mot-de-passe/oublie/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<str:uidb64>/<str:token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mot-de-passe/modifier/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/modifie/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("double-authentification/activer/", two_factor.setup, name="two_factor_setup"),
    path("double-authentification/verifier/", two_factor.verify, name="two_factor_verify"),
    path(
        "double-authentification/codes-de-secours/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("jetons-api/", api_tokens.api_tokens, name="api_tokens"),
    path("jetons-api/<int:pk>/revoquer/", api_tokens.api_token_revoke, name="api_token_revoke"),
]
