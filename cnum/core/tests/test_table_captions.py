"""A table named by the heading right above it does not repeat that heading in a caption (a
screen reader would read it twice): it points to the heading with aria-labelledby."""

import re
from pathlib import Path

from django.conf import settings

REPEAT = re.compile(
    r"<h([2-6])[^>]*>([^<]+)</h\1>\s*(?:\{%[^%]*%\}\s*)?<div class=\"fr-table\"[^>]*>\s*"
    r"<table[^>]*>\s*<caption[^>]*>([^<]+)</caption>"
)


def test_no_caption_repeats_the_heading_above_it():
    repeated = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for match in REPEAT.finditer(path.read_text()):
            if match[2].strip() == match[3].strip():
                repeated.append(f"{path.name}: {match[2].strip()}")
    assert not repeated, repeated
