"""Imports every feature's SQLAlchemy models so `Base.metadata` (and Alembic) sees all tables.

Feature modules add one import line each here.
"""

from __future__ import annotations

from keel.server.account_requests import models as account_request_models  # noqa: F401
from keel.server.account_risk import models as account_risk_models  # noqa: F401
from keel.server.audit import models as audit_models  # noqa: F401
from keel.server.auth import models as auth_models  # noqa: F401
from keel.server.autopilot import models as autopilot_models  # noqa: F401
from keel.server.backtests import models as backtest_models  # noqa: F401
from keel.server.breakers import models as breaker_models  # noqa: F401
from keel.server.classes import models as class_models  # noqa: F401
from keel.server.db import Base
from keel.server.feedback import models as feedback_models  # noqa: F401
from keel.server.flags import models as flag_models  # noqa: F401
from keel.server.guardians import models as guardian_models  # noqa: F401
from keel.server.lessons import models as lesson_models  # noqa: F401
from keel.server.orders import models as trading_models  # noqa: F401
from keel.server.scenarios import models as scenario_models  # noqa: F401
from keel.server.volatility import models as volatility_models  # noqa: F401

__all__ = ["Base"]
