from django.urls import path

from cnum.accounts.views import (
    administration,
    auth,
    dashboard,
    impersonation,
    proconnect,
    two_factor,
)

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
    path(
        "double-authentification/reinitialiser/<int:pk>/",
        administration.second_factor_reset,
        name="second_factor_reset",
    ),
    path("proconnect/", proconnect.StartView.as_view(), name="proconnect_start"),
    path("proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("proconnect/lier/", proconnect.link, name="proconnect_link"),
    path("administration/comptes/", administration.account_list, name="admin_accounts"),
    path("administration/comptes/inviter/", administration.account_invite, name="admin_invite"),
    path("administration/comptes/<int:pk>/", administration.account_detail, name="admin_account"),
    path(
        "administration/comptes/<int:pk>/roles/ajouter/",
        administration.account_grant,
        name="admin_grant",
    ),
    path(
        "administration/comptes/<int:pk>/invitation/",
        administration.account_resend,
        name="admin_resend",
    ),
    path(
        "administration/comptes/<int:pk>/desactiver/",
        administration.account_deactivate,
        name="admin_deactivate",
    ),
    path(
        "administration/comptes/<int:pk>/reactiver/",
        administration.account_reactivate,
        name="admin_reactivate",
    ),
    path(
        "administration/roles/<int:pk>/perimetre/",
        administration.membership_scope,
        name="admin_scope",
    ),
    path(
        "administration/roles/<int:pk>/retirer/",
        administration.membership_revoke,
        name="admin_revoke",
    ),
    path(
        "support/connexion-en-tant-que/",
        impersonation.StartView.as_view(),
        name="impersonation_start",
    ),
    path("support/revenir/", impersonation.EndView.as_view(), name="impersonation_end"),
]
