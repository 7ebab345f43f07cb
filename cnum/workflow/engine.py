"""A small, generic status machine: one transition table per model, one way to move.

Declare on the model::

    workflow = Workflow(
        field="status",
        transitions={(FROM, TO): lambda actor, obj: <may actor do it?>, ...},
        on_commit=lambda obj, log: ...,   # side effects (e-mails), after the commit
    )

then move with `apply_transition(obj, TO, actor, comment)`. Nothing else writes the field
(cnum/workflow/tests/test_no_direct_writes.py checks it). `labels` names each move in French for
the pages that list the log; an app higher in the layers plugs its own effects in at start-up
with `Workflow.extend` (from its AppConfig.ready), so the lower app never imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cnum.workflow.models import TransitionLog


class _Platform:
    """The actor of moves made by the platform itself (scheduled tasks): logged with no user."""

    pk = None
    is_authenticated = False

    def has_role(self, *roles):
        return False

    def __repr__(self):
        return "PLATFORM"


PLATFORM = _Platform()


class InvalidTransition(Exception):
    """The table has no such move from the object's current status (a stale page, a race)."""

    def __init__(self, from_status, to_status):
        self.from_status, self.to_status = from_status, to_status
        super().__init__(f"{from_status} → {to_status}")


@dataclass
class Workflow:
    transitions: dict[tuple[str, str], Callable[[Any, Any], bool]]
    field: str = "status"
    on_commit: Callable | None = None
    # Extra in-transaction work per target status (e.g. merging a duplicate).
    effects: dict[str, Callable] = dataclass_field(default_factory=dict)
    # French label of a move, keyed by (FROM, TO) or by TO alone ({TO: "Validation par le
    # comité"}); without one, the pages say "<from label> → <to label>" from the field's choices.
    labels: dict[tuple[str, str], str] = dataclass_field(default_factory=dict)
    # After-commit work added by other apps (see `extend`), run after `on_commit`.
    _after_commit: list[Callable] = dataclass_field(default_factory=list)

    def extend(self, *, effects=None, on_commit=None):
        """Plug in-transaction effects (per target status) and after-commit work registered by
        an app that builds on this one, at start-up (AppConfig.ready)."""
        for to, effect in (effects or {}).items():
            if to in self.effects:
                raise ValueError(f"Effet déjà déclaré pour {to}")
            self.effects[to] = effect
        if on_commit:
            self._after_commit.append(on_commit)

    def targets(self, obj):
        current = getattr(obj, self.field)
        return [to for (frm, to) in self.transitions if frm == current]

    def can(self, obj, to, actor):
        check = self.transitions.get((getattr(obj, self.field), to))
        return check is not None and actor is not None and bool(check(actor, obj))

    def allowed_targets(self, obj, actor):
        return [to for to in self.targets(obj) if self.can(obj, to, actor)]

    def label(self, model, from_status, to_status):
        """French wording of a move, for people (never the raw codes)."""
        declared = self.labels.get((from_status, to_status)) or self.labels.get(to_status)
        if declared:
            return declared
        choices = dict(model._meta.get_field(self.field).flatchoices)
        to_label = choices.get(to_status, to_status)
        if not from_status:  # the first state, recorded at creation
            return to_label
        return f"{choices.get(from_status, from_status)} → {to_label}"

    def run_after_commit(self, obj, log):
        for callback in ([self.on_commit] if self.on_commit else []) + self._after_commit:
            callback(obj, log)


def apply_transition(obj, to, actor, comment="", *, changes=None):
    """Move `obj` to status `to` on behalf of `actor`; returns the TransitionLog row.

    `changes` ({field: value}) are written in the same UPDATE as the status, for the fields
    that move with it (e.g. who decided and when, which a constraint ties to the status).

    Raises PermissionDenied if the actor may not make this move (nothing changes), and
    InvalidTransition if the move is not in the table for the current (locked) status.
    """
    workflow: Workflow = type(obj).workflow
    with transaction.atomic():
        # Re-read under a row lock: two deciders acting at once must not both move it.
        locked = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
        current = getattr(locked, workflow.field)
        check = workflow.transitions.get((current, to))
        if check is None:
            raise InvalidTransition(current, to)
        if actor is None or not check(actor, locked):
            raise PermissionDenied
        changes = {**(changes or {}), workflow.field: to}
        for name, value in changes.items():
            setattr(locked, name, value)
            setattr(obj, name, value)
        locked.save(update_fields=list(changes))
        log = TransitionLog.objects.create(
            subject=locked,
            field=workflow.field,
            from_status=current,
            to_status=to,
            actor=actor if getattr(actor, "pk", None) else None,
            comment=comment,
        )
        effect = workflow.effects.get(to)
        if effect:
            effect(locked, log)
        if workflow.on_commit or workflow._after_commit:
            transaction.on_commit(lambda: workflow.run_after_commit(locked, log))
    return log


def record_creation(obj, actor, comment=""):
    """Log the first state of a row created in it (no move: the log starts the history)."""
    workflow: Workflow = type(obj).workflow
    return TransitionLog.objects.create(
        subject=obj,
        field=workflow.field,
        from_status="",
        to_status=getattr(obj, workflow.field),
        actor=actor if getattr(actor, "pk", None) else None,
        comment=comment,
    )
