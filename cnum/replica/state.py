"""What the current request allows: replica reads, until its first write."""

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass
class Reads:
    replica_allowed: bool = False
    wrote: bool = False
    use_replica: bool | None = None  # decided at the first read, then kept for the request


current = contextvars.ContextVar("cnum_replica_reads", default=None)


@contextlib.contextmanager
def replica_reads(allowed=True):
    """Reads inside the block may go to the replica (the middleware opens one per request)."""
    reads = Reads(replica_allowed=allowed)
    token = current.set(reads)
    try:
        yield reads
    finally:
        current.reset(token)
