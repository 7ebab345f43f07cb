from django.db import migrations


class Migration(migrations.Migration):
    """The eligibility index is declared on CandidateProfile (candidates 0002); this step only
    orders the migrations that build on matching after it."""

    dependencies = [
        ("matching", "0002_candidate_notes"),
        ("candidates", "0002_candidateprofile_candidate_eligible"),
    ]

    operations = []
