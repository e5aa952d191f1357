"""Non-tariff requirements (issue 9): what must I do to sell this product in that market?

Measures are classified with the UNCTAD MAST classification (:mod:`.mast`), stored in
:mod:`.models`, imported from the Tradewind CSV template (:mod:`tradewind.ingest.requirements_csv`)
and answered by :func:`.queries.requirements_for`.
"""
