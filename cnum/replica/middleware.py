"""Marks the replica-readable views: their reads may be served by the replica."""

from cnum.replica import state

# Statistics pages and their exports, CSV/XLSX exports, the public map (embeddable one included)
# and place pages, and the open-data feeds (places, data·inclusion): heavy reads where a few
# seconds of lag are harmless.
REPLICA_READABLE_VIEWS = frozenset(
    {
        "stats:dashboard",
        "stats:dashboard_print",
        "stats:export_figures",
        "stats:export_records",
        "stats:public",
        "stats:public_csv",
        "stats:steering",
        "exports:index",
        "exports:download",
        "places:map",
        "places:detail",
        "places:embed",
        "api:lieux_json",
        "api:lieux_csv",
        "api:data_inclusion_structures",
        "api:data_inclusion_services",
    }
)


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with state.replica_reads(allowed=False) as reads:
            response = self.get_response(request)
        streamed = getattr(response, "streaming", False) and not response.is_async
        if reads.replica_allowed and streamed:
            response.streaming_content = _streamed(reads, response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and match.view_name in REPLICA_READABLE_VIEWS:
            state.current.get().replica_allowed = True


def _streamed(reads, chunks):
    """A streamed body (open-data feeds) reads while it is sent: same rules as the view."""
    previous = state.current.get()
    state.current.set(reads)
    try:
        yield from chunks
    finally:
        state.current.set(previous)
