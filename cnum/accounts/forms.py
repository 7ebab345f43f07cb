from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from cnum.accounts.models import User
from cnum.accounts.services import TOTP_CODE, normalise_otp_code
from cnum.core.mail import send_templated_email

PASSWORD_HELP = (
    "Au moins 12 caractères, pas uniquement des chiffres, ni un mot de passe courant "
    "ou trop proche de votre nom ou de votre adresse électronique."
)
EMAIL_MAX_LENGTH = 254
PASSWORD_MAX_LENGTH = 128


def limit_password_length(field):
    # Long enough for passphrases and password managers, short of a hashing workload.
    field.validators.append(
        MaxLengthValidator(
            PASSWORD_MAX_LENGTH,
            f"Le mot de passe ne doit pas dépasser {PASSWORD_MAX_LENGTH} caractères.",
        )
    )


def email_field(**kwargs):
    return forms.EmailField(
        label="Adresse électronique",
        max_length=EMAIL_MAX_LENGTH,
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


class LoginForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label="Adresse électronique",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ou "
            "réinitialisez votre mot de passe."
        ),
        "inactive": "Ce compte est désactivé.",
        "email_not_confirmed": (
            "Votre adresse électronique n'est pas encore confirmée : ouvrez le lien reçu par "
            "courriel après votre inscription."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Reached only with the right password, so this reveals nothing to a stranger.
        if not user.email_confirmed:
            raise ValidationError(
                self.error_messages["email_not_confirmed"], code="email_not_confirmed"
            )

    @property
    def email_not_confirmed(self):
        return any(e.code == "email_not_confirmed" for e in self.non_field_errors().as_data())


class NewAccountFields(auth_forms.SetPasswordMixin, forms.Form):
    """Name, a not yet registered e-mail and a password: what every public sign-up form asks."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = email_field()
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1="Mot de passe", label2="Confirmation du mot de passe"
    )

    error_messages = {
        "password_mismatch": "Les deux mots de passe ne sont pas identiques.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_HELP
        limit_password_length(self.fields["password1"])
        self.fields["password2"].help_text = "Saisissez le même mot de passe."

    def clean_email(self):
        # An address that has an account is no error: the visitor must not learn it (the
        # services e-mail the owner instead).
        return self.cleaned_data["email"].lower()

    def validate_new_password(self):
        """Both passwords match and pass the validators, compared with the name and e-mail."""
        self.validate_passwords()
        data = self.cleaned_data
        user = User(
            email=data.get("email") or "",
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
        )
        # The error (too short, too close to the name…) goes under the password typed, not
        # under its confirmation.
        self.validate_password_for_user(user, "password1")


class SignupForm(NewAccountFields, forms.ModelForm):
    accept_terms = forms.BooleanField(
        label=(
            "J'accepte les conditions générales d'utilisation et le traitement de mes données "
            "personnelles"
        ),
        error_messages={"required": "Vous devez accepter les conditions pour créer un compte."},
    )

    class Meta:
        model = User
        # Whitelist: nothing else a visitor posts (roles, staff flags…) reaches the model.
        fields = ["first_name", "last_name", "email"]

    def validate_unique(self):
        """Same reason: no "already exists" error from the model's unique e-mail."""

    def clean(self):
        data = super().clean()
        self.validate_new_password()
        return data


class ResendConfirmationForm(forms.Form):
    email = email_field()


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = email_field()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Through the task queue, like every e-mail of the platform.
        context = {key: context[key] for key in ("user", "uid", "token")}
        send_templated_email("accounts/emails/password_reset", context, [to_email])


class SetPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "Les deux mots de passe ne sont pas identiques."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        limit_password_length(self.fields["new_password1"])
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self.fields["new_password2"].help_text = "Saisissez le même mot de passe."

    def validate_password_for_user(self, user, *args, **kwargs):
        # Under the new password typed, not under its confirmation.
        super().validate_password_for_user(user, password_field_name="new_password1")


class ResetPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit=False)
        # The link reached this mailbox: the address is proven.
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
        if commit:
            user.save()
            # The lockout page sends people here: a new password lifts the lock.
            axes_reset(username=user.email)
        return user


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": "Votre mot de passe actuel est incorrect.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Le code à 6 chiffres affiché par votre application.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    only_totp = True

    def clean_code(self):
        code = normalise_otp_code(self.cleaned_data["code"])
        if self.only_totp and not TOTP_CODE.fullmatch(code):
            raise ValidationError("Saisissez les 6 chiffres affichés par votre application.")
        return code


class VerifyForm(OtpCodeForm):
    only_totp = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = (
            "Le code à 6 chiffres affiché par votre application, ou l'un de vos codes de secours."
        )
        field.widget.attrs["inputmode"] = "text"
