"""Issuing documents as PDF, and revoking them (docs/documents.md).

`render_pdf` is the one way a view hands out a document: every PDF carries a verification code
checked on the public page /documents/verifier/, and is recorded as an IssuedDocument.
"""

import base64
import hashlib
import io
from functools import cache

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cnum.accounts.roles import Role
from cnum.documents import codes
from cnum.documents.models import IssuedDocument

# PDF/UA-1: a tagged PDF (structure tree, /Lang, /Title shown as the window title), so that
# screen readers read it in order (docs/documents.md#accessibilite).
PDF_VARIANT = "pdf/ua-1"
SYSTEM_ISSUER = "Plateforme Conseiller numérique (document automatique)"
# Which of a user's roles names them as issuer, most institutional first.
ISSUER_ROLES = (
    Role.ADMINISTRATEUR,
    Role.OPERATEUR_FINANCIER,
    Role.PREFET,
    Role.HUB,
    Role.GRAND_RESEAU,
    Role.ORGANISME_FORMATION,
    Role.GESTIONNAIRE_STRUCTURE,
    Role.COORDINATEUR,
    Role.AIDANT,
    Role.CONSEILLER,
    Role.CANDIDAT,
)
FONTS = {
    (400, "normal"): "Marianne-Regular.woff2",
    (700, "normal"): "Marianne-Bold.woff2",
    (400, "italic"): "Marianne-Regular_Italic.woff2",
}


class DocumentError(Exception):
    """A refused document operation; the message is French and shown as is."""


@cache
def font_faces():
    """@font-face rules for the DSFR's Marianne, read from the installed static files."""
    rules = []
    for (weight, style), name in FONTS.items():
        path = finders.find(f"dsfr/dist/fonts/{name}")
        if path:
            rules.append(
                f'@font-face {{ font-family: "Marianne"; font-weight: {weight}; '
                f'font-style: {style}; src: url("file://{path}"); }}'
            )
    return "\n".join(rules)


def check_url(code):
    return settings.SITE_URL + reverse("documents:check_code", args=[codes.grouped(code)])


def qr_data_uri(text):
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def issuer_label(user):
    """Role and organisation of `user` (never a name or contact), for the check page."""
    if user is None:
        return SYSTEM_ISSUER
    memberships = {m.role: m for m in user.memberships.filter(is_active=True).select_related(
        "organisation"
    )}  # fmt: skip
    for role in ISSUER_ROLES:
        membership = memberships.get(role)
        if membership is not None:
            label = Role(role).label
            if membership.organisation is not None:
                label = f"{label} — {membership.organisation.name}"
            return label
    return "Utilisateur de la plateforme"


def _unused_code():
    while True:
        code = codes.new_code()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def write_pdf(html):
    """The PDF of an HTML string (tagged PDF/UA-1, local resources only)."""
    # Imported here: WeasyPrint loads its stylesheets and fonts on import, a cost only the
    # processes that render a document should pay.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    # Only local files (fonts) and data: URIs (QR code): rendering never reaches out to the
    # network, whatever a document's text contains.
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    # A FontConfiguration per document: it keeps the @font-face files it loaded, and is not
    # meant to be shared by threads.
    return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=FontConfiguration())


def render_pdf(template_name, context, *, kind, title, issued_by, subject, filename=None):
    """Render `template_name` as a PDF, record it as issued and answer it as a download.

    The template extends "documents/base.html" and fills its `content` block; it receives
    `context` plus `document` (code, check URL, QR code, title, issue date) that the base
    template prints in every page's footer and in the closing verification block.

    - `kind`: a cnum.documents.enums.DocumentKind; `title`: the document's title (PDF title,
      first heading, check page);
    - `issued_by`: the user asking for it (None for the platform itself); the check page shows
      their role and organisation, never their name;
    - `subject`: what the document is about, shown on the check page to whoever holds the code:
      no personal data beyond what the document itself shows (« Mandat n° 12 », a period…);
    - `filename`: the download's name without extension (default: the title, slugified).

    Returns an HttpResponse (application/pdf, attachment, Cache-Control: no-store).
    """
    code = _unused_code()
    issued_at = timezone.now()
    url = check_url(code)
    document = {
        "code": codes.grouped(code),
        "check_url": url,
        "check_page": settings.SITE_URL + reverse("documents:check"),
        "qr_code": qr_data_uri(url),
        "title": title,
        "kind": kind,
        "issued_at": issued_at,
        "font_faces": font_faces(),
    }
    html = render_to_string(template_name, {**context, "document": document})
    pdf = write_pdf(html)
    IssuedDocument.objects.create(
        code=code,
        kind=kind,
        title=title[:200],
        subject=subject[:300],
        issued_at=issued_at,
        issued_by=issued_by,
        issuer_label=issuer_label(issued_by)[:300],
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(filename or title)[:80] or "document"
    response["Content-Disposition"] = f'attachment; filename="{name}-{code[:4].lower()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def find(text):
    """The document of a typed code, or None (unknown and malformed look the same)."""
    code = codes.normalize(text)
    if code is None:
        return None
    return IssuedDocument.objects.filter(code=code).first()


def revoke(document, *, actor, reason):
    """Mark `document` revoked (the national administration only): the check page says so."""
    if not actor.has_role(Role.ADMINISTRATEUR):
        raise DocumentError("Seule l'administration nationale peut révoquer un document.")
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("Indiquez le motif de la révocation.")
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if document.revoked_at is not None:
            raise DocumentError("Ce document est déjà révoqué.")
        document.revoked_at = timezone.now()
        document.revocation_reason = reason[:500]
        document.save(update_fields=["revoked_at", "revocation_reason"])
    return document
