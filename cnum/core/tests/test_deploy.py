import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from cnum.partners.keys import generate_pem

ROOT = Path(__file__).resolve().parents[3]


def manage(tmp_path, *args, **env):
    """Run manage.py with production settings (DEBUG off); `None` removes a variable."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cnum.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "conseiller-numerique.gouv.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CV_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "OIDC_RSA_PRIVATE_KEY": generate_pem(),
        **env,
    }
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(tmp_path, "check", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def test_deployment_checklist_requires_the_cv_encryption_key(tmp_path):
    result = manage(tmp_path, "check", "--deploy", CV_ENCRYPTION_KEY=None)
    assert result.returncode != 0
    assert "CV_ENCRYPTION_KEY" in result.stderr + result.stdout
