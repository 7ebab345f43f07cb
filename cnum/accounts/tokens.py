"""Signed, expiring links sent by e-mail (same scheme as Django's password-reset links)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

EMAIL_CONFIRMATION_TIMEOUT = 3 * 24 * 60 * 60


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cnum.accounts.tokens.EmailConfirmationTokenGenerator"
    timeout = EMAIL_CONFIRMATION_TIMEOUT

    def _make_hash_value(self, user, timestamp):
        # Bound to the address: changing the e-mail invalidates links sent to the old one.
        return f"{user.pk}{user.email}{timestamp}"

    def check_token(self, user, token):
        # The parent reads settings.PASSWORD_RESET_TIMEOUT; this link has its own lifetime.
        if not (user and isinstance(token, str)):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > self.timeout:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


email_confirmation_token = EmailConfirmationTokenGenerator()
