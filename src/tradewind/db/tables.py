"""Imports every feature's table definitions so that :data:`tradewind.db.metadata` is complete.

Alembic's ``env.py`` and the schema tests import this module.  A feature package adds
its ``models`` module here.
"""

from tradewind.accounts import models as _accounts  # noqa: F401
from tradewind.aggcache import models as _aggcache  # noqa: F401
from tradewind.agreements import models as _agreements  # noqa: F401
from tradewind.audit import models as _audit  # noqa: F401
from tradewind.champions import models as _champions  # noqa: F401
from tradewind.changes import models as _changes  # noqa: F401
from tradewind.countries import models as _countries  # noqa: F401
from tradewind.datasets import models as _datasets  # noqa: F401
from tradewind.db import metadata
from tradewind.finder import models as _finder  # noqa: F401
from tradewind.flows import models as _flows  # noqa: F401
from tradewind.fx import models as _fx  # noqa: F401
from tradewind.knowledge import models as _knowledge  # noqa: F401
from tradewind.network import models as _network  # noqa: F401
from tradewind.nomenclature import models as _nomenclature  # noqa: F401
from tradewind.notifications import models as _notifications  # noqa: F401
from tradewind.policy import models as _policy  # noqa: F401
from tradewind.procedures import models as _procedures  # noqa: F401
from tradewind.ratelimit import models as _ratelimit  # noqa: F401
from tradewind.requirements import models as _requirements  # noqa: F401
from tradewind.tariffs import models as _tariffs  # noqa: F401
from tradewind.watch import models as _watch  # noqa: F401
from tradewind.workinggroup import models as _workinggroup  # noqa: F401

__all__ = ["metadata"]
