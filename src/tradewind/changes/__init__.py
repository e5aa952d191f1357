"""Change events: what changed in the data, when, for which product and market.

Every import and every editor save that changes something users may watch calls
:func:`tradewind.changes.events.record` inside its own transaction, so the event exists exactly
when the change does.  The ``watch`` feature matches events to watch lists and fills its outbox
in that same transaction (see :data:`tradewind.changes.events.LISTENERS`).
"""
