"""Test helpers: candidates with a complete, active profile, and small valid/invalid PDFs."""

import datetime

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today
from cnum.territories.models import Commune

# A minimal but well-formed one-page PDF (header, objects, xref, trailer, EOF marker).
SMALL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \ntrailer << /Size 4 /Root 1 0 R >>\n"
    b"startxref\n0\n%%EOF\n"
)


def make_profile(user=None, *, commune="69123", active=True, **fields):
    """A candidate (role candidat) with a complete profile in `commune` (INSEE code)."""
    if user is None:
        user = make_user(Role.CANDIDAT)
    values = {
        "phone": "0612345678",
        "commune": Commune.objects.get(code_insee=commune),
        "is_job_seeker": True,
        "availability_date": today() + datetime.timedelta(days=10),
        "max_distance_km": 20,
        "motivation": "Je veux aider les personnes éloignées du numérique.",
        "activated_at": timezone.now() if active else None,
        **fields,
    }
    return CandidateProfile.objects.create(user=user, **values)


def profile_kwargs():
    """For the permission matrix: an active candidate in Lyon (69), owned by a third party."""
    return {"pk": make_profile().pk}
