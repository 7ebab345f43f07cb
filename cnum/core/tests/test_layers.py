"""The layers of the apps (.importlinter at the repository root): no app imports a higher one.

A lower app that needs a higher one's behaviour lets the higher app register it at start-up
(AppConfig.ready); see the comments of .importlinter.
"""

from django.conf import settings
from importlinter.cli import lint_imports

CONFIG = settings.BASE_DIR / ".importlinter"


def test_no_app_imports_a_higher_layer(capsys):
    exit_code = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
