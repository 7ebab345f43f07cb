"""Hooks other apps (funding, training) listen to.

Sent synchronously inside the transaction of the transition, so receivers commit or roll back
with it. A conseiller is a user holding an active Membership(role=CONSEILLER) in the structure.
"""

from django.dispatch import Signal

# kwargs: match, conseiller (User), structure — the administration validated a recruitment.
recruitment_validated = Signal()

# kwargs: match, conseiller (User), structure, rupture_date — a rupture was validated: the post is
# free again and the person is back among available candidates.
rupture_validated = Signal()

# kwargs: match, conseiller (User), structure, end_date — a contract reached its end with no
# renewal (daily task): the post is free again and the person is back among available candidates.
contract_ended = Signal()
