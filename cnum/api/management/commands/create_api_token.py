"""manage.py create_api_token: issue a token for a machine client; the key is printed once."""

from django.core.management.base import BaseCommand, CommandError

from cnum.accounts.models import User
from cnum.api.models import Scope
from cnum.api.services import issue_api_token


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un partenaire et affiche sa clé (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Nom du client (service ou partenaire).")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            dest="scopes",
            help="Portée accordée (option répétable).",
        )
        parser.add_argument(
            "--created-by", required=True, help="Adresse électronique de l'auteur du jeton."
        )

    def handle(self, *args, name, scopes, created_by, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("Le nom du client doit faire entre 1 et 100 caractères.")
        author = User.objects.filter(email__iexact=created_by.strip()).first()
        if author is None:
            raise CommandError(f"Aucun compte n'a l'adresse « {created_by} ».")
        token, key = issue_api_token(name=name, scopes=set(scopes), created_by=author)
        self.stdout.write(f"Jeton « {token.name} » créé (portées : {', '.join(token.scopes)}).")
        self.stdout.write("Clé, affichée une seule fois — conservez-la en lieu sûr :")
        self.stdout.write(key)
