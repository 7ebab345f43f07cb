"""manage.py backup [--output DIR]: database, media files and manifest (nightly job).

Without --output, the backup goes to a new dated folder of BACKUP_DIR, and only the last
BACKUP_KEEP backups there are kept.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cnum.backups import services
from cnum.backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Sauvegarde la base (pg_dump ou copie SQLite en ligne), les fichiers déposés (chiffrés) "
        "et un manifeste (nombre de lignes de chaque table, empreintes SHA-256) dans un dossier "
        "neuf. Les clés de chiffrement ne sont pas sauvegardées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="dossier à créer (vide) ; défaut : un dossier daté dans BACKUP_DIR, dont seules "
            "les BACKUP_KEEP dernières sauvegardes sont gardées",
        )
        parser.add_argument(
            "--database-url", help="base à sauvegarder (défaut : celle de l'application)"
        )
        parser.add_argument(
            "--sans-fichiers",
            dest="with_media",
            action="store_false",
            help="ne pas archiver les fichiers déposés",
        )

    def handle(self, *args, output, database_url, with_media, **options):
        root = Path(settings.BACKUP_DIR)
        target = Path(output) if output else services.dated_folder(root)
        try:
            manifest = services.backup(target, database_url, with_media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite dans {target} : {len(manifest.counts)} tables, {rows} lignes, "
                f"{manifest.media_files} fichier(s)."
            )
        )
        if not output:
            for removed in services.prune(root, settings.BACKUP_KEEP):
                self.stdout.write(f"Ancienne sauvegarde supprimée : {removed}")
