"""manage.py restore --input DIR --database-url URL: a backup into a new database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cnum.backups import services
from cnum.backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de « manage.py backup » : vérifie les empreintes, charge la base "
        "dans DATABASE-URL (vide, sauf --force), compare le nombre de lignes de chaque table au "
        "manifeste, puis remet les fichiers déposés dans le stockage configuré."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="dossier de la sauvegarde")
        parser.add_argument(
            "--database-url", required=True, help="base cible, ex. postgres://…/cnum_restauree"
        )
        parser.add_argument(
            "--force", action="store_true", help="remplacer une base ou des fichiers existants"
        )
        parser.add_argument(
            "--sans-fichiers",
            dest="with_media",
            action="store_false",
            help="ne restaurer que la base",
        )

    def handle(self, *args, input, database_url, force, with_media, **options):
        try:
            restored = services.restore(Path(input), database_url, force, with_media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {manifest.created_at} restaurée : {len(manifest.counts)} tables "
                f"aux mêmes nombres de lignes que le manifeste, {restored.media_files} fichier(s)."
            )
        )
