"""Partner API (docs/api.md#partenaires): read-only resources behind scoped tokens."""
