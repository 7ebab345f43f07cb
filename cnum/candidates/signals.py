"""Hooks other apps (matching) listen to, so that eligibility follows a candidate at once.

Both are sent synchronously, inside the transaction that changes the profile: a receiver
that recomputes matches commits or rolls back together with the change.
"""

from django.dispatch import Signal

# kwargs: profile (CandidateProfile), changed_fields (frozenset of field names; on activation
# {"activated_at"}). Sent after activation, profile edits, availability toggles.
profile_changed = Signal()

# kwargs: profile — sent just before the profile (and possibly its account) is deleted.
profile_deleted = Signal()
