"""Every template compiles: a typo in a tag or an unknown filter fails here, not on a page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.exceptions import TemplateSyntaxError
from django.template.utils import get_app_template_dirs


def _template_names():
    directories = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    for directory in directories:
        root = Path(directory)
        if not str(root).startswith(str(settings.BASE_DIR)):
            continue  # templates of installed libraries are theirs to check
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            yield path.relative_to(root).as_posix()


def test_the_project_has_templates_to_check():
    assert len(list(_template_names())) > 100


@pytest.mark.parametrize("name", sorted(set(_template_names())))
def test_template_compiles(name):
    try:
        engines["django"].get_template(name)
    except TemplateSyntaxError as error:
        pytest.fail(f"{name} : {error}")
