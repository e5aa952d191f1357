"""Imports every feature's table definitions so that :data:`tradewind.db.metadata` is complete.

Alembic's ``env.py`` and the schema tests import this module.  A feature package adds
its ``models`` module here.
"""

from tradewind.countries import models as _countries  # noqa: F401
from tradewind.datasets import models as _datasets  # noqa: F401
from tradewind.db import metadata
from tradewind.nomenclature import models as _nomenclature  # noqa: F401

__all__ = ["metadata"]
