"""Watch lists and alerts: subscribers watch HS prefixes and markets; change events that match
a confirmed list are written to an outbox (same transaction) and mailed by a worker."""
