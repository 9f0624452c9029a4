"""The access decision, consent records and the append-only access log."""
