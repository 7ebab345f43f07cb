"""CVs: PDF checked by content, stored encrypted (see cnum.core.encryption)."""

CV_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class InvalidCv(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_pdf(data: bytes):
    """Refuse anything that is not plausibly a PDF, whatever its name or declared type."""
    if len(data) > CV_MAX_BYTES:
        raise InvalidCv("Le fichier dépasse 5 Mo : réduisez sa taille (export PDF compressé).")
    if not data.startswith(PDF_MAGIC):
        raise InvalidCv("Le fichier n'est pas un PDF. Déposez votre CV au format PDF.")
    # Sanity parse: a version number, at least one object, and the end-of-file marker that
    # every PDF writer emits (tolerating trailing bytes some tools append).
    version = data[len(PDF_MAGIC) : len(PDF_MAGIC) + 3]
    if not (len(version) == 3 and version[:1].isdigit() and version[1:2] == b"."):
        raise InvalidCv("Le fichier PDF est illisible ou endommagé.")
    if b" obj" not in data or b"%%EOF" not in data[-2048:]:
        raise InvalidCv("Le fichier PDF est illisible ou endommagé.")
