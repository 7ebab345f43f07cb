"""Hooks other apps (funding, matching) listen to.

Sent synchronously inside the transaction that records the decision, so a receiver's writes
(e.g. a ledger commitment) commit or roll back with it.
"""

from django.dispatch import Signal

# kwargs: decision (CommitteeDecision), previous_posts (int: the structure's quota before it),
# posts (int: the quota after it), previous_coordinator_posts and coordinator_posts (the same for
# coordinator posts, docs/domaine.md#coordinateurs). Sent for session decisions, corrections and
# post-amendment decisions.
decision_recorded = Signal()
