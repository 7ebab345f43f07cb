import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.api.models import ApiToken, Scope, hash_key

pytestmark = pytest.mark.django_db
LIST = reverse("api_tokens:list")
JETON = "/api/v1/jeton"


def revoke_url(pk):
    return reverse("api_tokens:revoke", kwargs={"pk": pk})


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


class TestPages:
    def test_admin_creates_a_token_and_sees_the_key_once(self, client, admin):
        response = client.post(
            LIST, {"name": "SI régional", "scopes": [Scope.REFERENTIEL], "expires_on": ""}
        )
        html = response.content.decode()
        assert response.status_code == 200
        token = ApiToken.objects.get()
        key = re.search(r'<p class="fr-text--lg"><code>([^<]+)</code>', html)[1]
        assert token.key_hash == hash_key(key) and token.created_by == admin
        assert token.scopes == [Scope.REFERENTIEL]
        assert key not in client.get(LIST).content.decode()
        assert client.get(JETON, **bearer(key)).status_code == 200

    def test_admin_chooses_the_partner_scopes(self, client, admin):
        html = client.get(LIST).content.decode()
        for scope in Scope:
            assert f'value="{scope.value}"' in html and scope.label.replace("'", "&#x27;") in html
        client.post(LIST, {"name": "Région", "scopes": [Scope.ACTIVITE, Scope.STATISTIQUES]})
        token = ApiToken.objects.get()
        assert token.scopes == [Scope.ACTIVITE, Scope.STATISTIQUES]
        assert (
            "Lecture des activités sans données personnelles" in client.get(LIST).content.decode()
        )

    def test_expiry_date_means_end_of_that_day_in_paris(self, client, admin):
        year = timezone.localdate().year + 1
        client.post(
            LIST, {"name": "A", "scopes": [Scope.REFERENTIEL], "expires_on": f"{year}-03-01"}
        )
        expires_at = ApiToken.objects.get().expires_at
        assert expires_at == datetime.datetime(year, 3, 1, 23, 0, tzinfo=datetime.UTC)

    @pytest.mark.parametrize("expires_on", ["9999-12-31", "2099-03-01"])
    def test_an_expiry_beyond_two_years_is_refused(self, client, admin, expires_on):
        response = client.post(
            LIST, {"name": "A", "scopes": [Scope.REFERENTIEL], "expires_on": expires_on}
        )
        assert response.status_code == 200
        if expires_on.startswith("2099"):
            assert "Un jeton vaut au plus 2 ans" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_an_expiry_two_years_ahead_is_accepted(self, client, admin):
        day = timezone.localdate().replace(year=timezone.localdate().year + 2, day=1)
        client.post(
            LIST, {"name": "A", "scopes": [Scope.REFERENTIEL], "expires_on": day.isoformat()}
        )
        assert ApiToken.objects.get().expires_at.date() == day

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": "", "scopes": [Scope.REFERENTIEL]}, "Ce champ est obligatoire"),
            ({"name": "A"}, "Choisissez au moins une portée"),
            ({"name": "A", "scopes": ["admin"]}, "Sélectionnez un choix valide"),
            ({"name": "x" * 500, "scopes": [Scope.REFERENTIEL]}, "au plus 100 caractères"),
            ({"name": "A", "scopes": [Scope.REFERENTIEL], "expires_on": "2001-01-01"}, "passée"),
            (
                {"name": "A", "scopes": [Scope.REFERENTIEL], "expires_on": "31/02/2030"},
                "date valide",
            ),
            ({"name": "\x00", "scopes": [Scope.REFERENTIEL]}, "caractère nul"),
        ],
    )
    def test_invalid_forms_explain_in_french(self, client, admin, data, message):
        response = client.post(LIST, data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_revoke_needs_the_confirmation_step(self, client, admin):
        token, key = ApiToken.issue(name="A", scopes=[Scope.REFERENTIEL], created_by=admin)
        page = client.get(revoke_url(token.pk)).content.decode()
        assert "ne pourra plus appeler l&#x27;API" in page and 'name="confirm" value="1"' in page
        assert client.post(revoke_url(token.pk)).status_code == 200  # the list's button
        token.refresh_from_db()
        assert token.revoked_at is None
        response = client.post(revoke_url(token.pk), {"confirm": "1"})
        assert response["Location"] == LIST
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert client.get(JETON, **bearer(key)).status_code == 401
        assert "Révoqué" in client.get(LIST).content.decode()

    def test_unknown_pk_is_404(self, client, admin):
        token, _ = ApiToken.issue(name="A", scopes=[Scope.REFERENTIEL], created_by=admin)
        assert client.post(revoke_url(token.pk + 1000), {"confirm": "1"}).status_code == 404
        assert client.post(f"/compte/jetons-api/{10**30}/revoquer/").status_code == 404

    @pytest.mark.parametrize(
        "role",
        [r for r in Role if r != Role.ADMINISTRATEUR] + [None],
    )
    def test_other_users_get_403(self, client, role):
        owner = make_user(Role.ADMINISTRATEUR)
        token, _ = ApiToken.issue(name="A", scopes=[Scope.REFERENTIEL], created_by=owner)
        login(client, make_user(role))
        assert client.get(LIST).status_code == 403
        assert client.post(LIST, {"name": "B", "scopes": [Scope.REFERENTIEL]}).status_code == 403
        assert client.post(revoke_url(token.pk), {"confirm": "1"}).status_code == 403
        token.refresh_from_db()
        assert token.revoked_at is None and ApiToken.objects.count() == 1

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(LIST)["Location"].startswith(reverse("accounts:login"))


class TestTokenAuth:
    @pytest.fixture
    def owner(self):
        return make_user(Role.ADMINISTRATEUR)

    def test_valid_token_of_the_scope(self, client, owner):
        token, key = ApiToken.issue(name="Partenaire", scopes=[Scope.REFERENTIEL], created_by=owner)
        response = client.get(JETON, **bearer(key))
        assert response.status_code == 200
        assert response.json() == {"nom": "Partenaire", "portees": [Scope.REFERENTIEL]}
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_future_expiry_still_works(self, client, owner):
        _, key = ApiToken.issue(
            name="A",
            scopes=[Scope.REFERENTIEL],
            created_by=owner,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
        assert client.get(JETON, **bearer(key)).status_code == 200

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            bearer(""),
            bearer("x"),
            bearer("n'importe quoi de long"),
            {"HTTP_AUTHORIZATION": "Basic abc"},
        ],
    )
    def test_missing_or_unknown_token(self, client, headers):
        assert client.get(JETON, **headers).status_code == 401

    def test_revoked_token(self, client, owner):
        token, key = ApiToken.issue(name="A", scopes=[Scope.REFERENTIEL], created_by=owner)
        token.revoke()
        assert client.get(JETON, **bearer(key)).status_code == 401

    def test_expired_token(self, client, owner):
        _, key = ApiToken.issue(
            name="A",
            scopes=[Scope.REFERENTIEL],
            created_by=owner,
            expires_at=timezone.now() - datetime.timedelta(seconds=1),
        )
        assert client.get(JETON, **bearer(key)).status_code == 401

    def test_token_without_the_scope_is_known_but_forbidden(self, client, owner):
        _, key = ApiToken.issue(name="A", scopes=["autre"], created_by=owner)
        assert client.get(JETON, **bearer(key)).status_code == 403

    def test_session_login_is_not_an_api_credential(self, client):
        login(client, make_user(Role.ADMINISTRATEUR))
        assert client.get(JETON).status_code == 401


class TestCommand:
    def test_prints_a_working_key_once(self, client, capsys):
        make_user(Role.ADMINISTRATEUR, email="admin@exemple.fr")
        call_command(
            "create_api_token",
            "Partenaire",
            "--scope",
            "referentiel",
            "--created-by",
            "ADMIN@exemple.fr",
        )
        key = capsys.readouterr().out.strip().splitlines()[-1]
        token = ApiToken.objects.get()
        assert token.key_hash == hash_key(key) and token.name == "Partenaire"
        assert client.get(JETON, **bearer(key)).status_code == 200

    def test_unknown_author(self):
        with pytest.raises(CommandError, match="Aucun compte"):
            call_command(
                "create_api_token", "A", "--scope", "referentiel", "--created-by", "x@y.fr"
            )

    def test_unknown_scope(self):
        make_user(email="admin@exemple.fr")
        with pytest.raises(CommandError):
            call_command(
                "create_api_token", "A", "--scope", "tout", "--created-by", "admin@exemple.fr"
            )
