"""Test helpers: read a PDF as its reader would (text, language, title, verification code)."""

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

# The text layer may split the code where its glyphs' widths leave a gap ("EQ JK"): the reader
# sees one code, so spaces inside it are dropped.
CODE = re.compile(r"Code de vérification : ((?:[0-9A-Z] ?){4}-(?:[0-9A-Z] ?){4}-(?:[0-9A-Z] ?){4})")


@dataclass
class Pdf:
    text: str  # every page's text, spaces collapsed
    lang: str
    title: str
    pages: int

    @property
    def code(self):
        match = CODE.search(self.text)
        assert match, "aucun code de vérification dans le PDF"
        return match[1].replace(" ", "").strip()


def read_pdf(data):
    """The PDF of `data` (bytes or a Django response), as pypdf opens it."""
    if hasattr(data, "content"):
        assert data["Content-Type"] == "application/pdf", data["Content-Type"]
        data = data.content
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return Pdf(
        text=re.sub(r"\s+", " ", text),
        lang=str(reader.trailer["/Root"].get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        pages=len(reader.pages),
    )
