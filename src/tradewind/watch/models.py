"""Watch tables: subscribers (double opt-in), lists, items and the delivery outbox."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from tradewind.db import metadata

FREQUENCIES = ("immediate", "daily", "weekly")
LANGUAGES = ("en", "fr", "es")
CHANNELS = ("email", "webhook")
PURPOSES = ("change", "reminder", "deadline")  # deadline: comment deadline approaching

watch_subscribers = Table(
    "watch_subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("language", String(2), nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("confirm_token_hash", String(64), nullable=True),  # sha256 hex; token never stored
    Column("unsubscribe_token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_digest_at", DateTime(timezone=True), nullable=True),
    Column("disabled_reason", Text, nullable=True),  # e-mail channel off (bounced address)
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

watch_lists = Table(
    "watch_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscriber_id", Integer, ForeignKey("watch_subscribers.id", ondelete="CASCADE"),
           nullable=False),
    Column("name", String(200), nullable=False),
    Column("frequency", String(10), nullable=False),  # one of FREQUENCIES
    Column("feed_token", String(64), nullable=False, unique=True),  # Atom and iCalendar URLs
    # Signed webhook channel (Standard Webhooks); NULL url: no webhook.
    Column("webhook_url", Text, nullable=True),
    Column("webhook_secret", String(80), nullable=True),  # "whsec_" + base64 key
    Column("webhook_disabled_reason", Text, nullable=True),  # HTTP 410 or SSRF refusal
    Column("webhook_disabled_at", DateTime(timezone=True), nullable=True),
    Index("ix_watch_lists_subscriber_id", "subscriber_id"),
)

watch_items = Table(
    "watch_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_list_id", Integer, ForeignKey("watch_lists.id", ondelete="CASCADE"),
           nullable=False),
    Column("hs_prefix", String(6), nullable=True),  # 2, 4 or 6 digits; NULL: every product
    Column("market", String(3), nullable=True),  # ISO3 or group code; NULL: every market
    Column("kind_prefix", String(40), nullable=True),  # "tariff", "notification"…; NULL: all
    # Topic watches: "SPS"/"TBT" limits a member's notifications to one area (NULL: both).
    Column("area", String(3), nullable=True),
    # Finder-query watches: the words the user typed, kept for display (codes in hs_prefix).
    Column("query", String(200), nullable=True),
    # Finder-query watches: the finder's data version and pre-selected codes when the words
    # were last resolved (a later finder change is compared with these: watch/drift.py).
    Column("finder_version", String(40), nullable=True),
    Column("resolved_codes", String(200), nullable=True),  # space-separated
    Index("ix_watch_items_watch_list_id", "watch_list_id"),
)

watch_outbox = Table(
    "watch_outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("idempotency_key", String(80), nullable=False, unique=True),  # "list:event"
    Column("subscriber_id", Integer, ForeignKey("watch_subscribers.id", ondelete="CASCADE"),
           nullable=False),
    Column("watch_list_id", Integer, ForeignKey("watch_lists.id", ondelete="CASCADE"),
           nullable=False),
    Column("event_id", BigInteger().with_variant(Integer, "sqlite"),
           ForeignKey("change_events.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(10), nullable=False),  # one of CHANNELS
    Column("status", String(10), nullable=False),  # pending | sent | failed
    Column("attempts", SmallInteger, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    # "change" (first announcement) or "reminder" (N days before a future date takes effect)
    Column("purpose", String(10), nullable=False, server_default="change"),
    # A worker's claim (batch path): until this time no other worker takes the row; a worker
    # killed mid-batch leaves its claims to expire, then they are sent again (same keys).
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("claimed_by", String(40), nullable=True),
    Index("ix_watch_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_watch_outbox_subscriber_id", "subscriber_id"),
    Index("ix_watch_outbox_watch_list_id", "watch_list_id"),
)

# Telling the user that a channel was disabled (bounced address, webhook 410) through the
# channel that still works: written in the same transaction as the disabling, sent by the
# worker like the outbox (claim, send, mark sent), so the notice is neither lost nor doubled.
watch_notices = Table(
    "watch_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(120), nullable=False, unique=True),
    Column("subscriber_id", Integer, ForeignKey("watch_subscribers.id", ondelete="CASCADE"),
           nullable=False),
    Column("watch_list_id", Integer, ForeignKey("watch_lists.id", ondelete="CASCADE"),
           nullable=True),  # the list whose webhook died, or that carries the notice
    Column("lost_channel", String(10), nullable=False),  # email | webhook
    Column("via", String(10), nullable=False),  # email | webhook: where the notice goes
    Column("reason", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending | sent | failed
    Column("attempts", SmallInteger, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_watch_notices_status_next_attempt_at", "status", "next_attempt_at"),
)

# A finder-query watch whose words would now resolve to other codes (a new finder model,
# confirmations, imported references or rulings, a nomenclature change): the watch keeps the
# codes the user confirmed until they accept the proposal (watch/drift.py).
watch_query_notices = Table(
    "watch_query_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_list_id", Integer, ForeignKey("watch_lists.id", ondelete="CASCADE"),
           nullable=False),
    Column("query", String(200), nullable=False),
    Column("watched_codes", String(200), nullable=False),  # space-separated
    Column("proposed_codes", String(200), nullable=False),
    Column("finder_version", String(40), nullable=False),
    Column("status", String(10), nullable=False),  # open | accepted | kept
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("mailed_at", DateTime(timezone=True), nullable=True),  # told in a digest
    Index("ix_watch_query_notices_watch_list_id", "watch_list_id"),
)
