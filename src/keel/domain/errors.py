"""Domain errors: each carries a stable `code` string and a plain-words message, never an HTTP status.

The server shell maps `code` to a problem+json `type` in one handler; the core only says what went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

Figure = Decimal | float | int | str
Figures = Mapping[str, Figure]
"""The numbers behind a message, by name (`{"needed": Decimal("1200.00")}`; money as Decimal,
statistics may be floats): the server sends them as a separate `figures` object, so the message's
words stay readable and the numbers stay exact."""
NO_FIGURES: Figures = MappingProxyType({})


def no_figures() -> Figures:
    """The empty `Figures` (a dataclass default)."""
    return NO_FIGURES


class DomainError(Exception):
    """Base of every error the trading core raises on purpose: `message` in plain words (amounts
    formatted with `keel.domain.money`), `figures` the numbers behind it."""

    code: str = "domain-error"

    def __init__(self, message: str, *, figures: Figures | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.figures: Figures = dict(figures) if figures else NO_FIGURES

    def __str__(self) -> str:
        return self.message


class InvalidOrder(DomainError):
    """The order request itself is malformed: bad quantity, price, precision, type combination."""

    code = "invalid-order"

    def __init__(
        self, message: str, *, field: str | None = None, figures: Figures | None = None
    ) -> None:
        super().__init__(message, figures=figures)
        self.field = field


class InvalidQuote(DomainError):
    """A quote that cannot be traded against (crossed, non-positive, non-finite)."""

    code = "invalid-quote"


class IllegalTransition(DomainError):
    """An order status change that the lifecycle does not allow."""

    code = "illegal-order-transition"


class OrderNotCancellable(DomainError):
    """Cancel asked for an order that is already filled, cancelled, rejected or expired."""

    code = "order-not-cancellable"


class OrderNotFound(DomainError):
    """No order with that id is known to the engine."""

    code = "order-not-found"


class AccountNotFound(DomainError):
    """No account with that id is known to the engine."""

    code = "account-not-found"


class InsufficientFunds(DomainError):
    """The cash (or buying power) is not enough to pay for the order or fill."""

    code = "insufficient-funds"


class InsufficientPosition(DomainError):
    """A sell larger than the sellable position while short selling is off."""

    code = "insufficient-position"


class NoMarketData(DomainError):
    """No quote is known for the symbol, so a price-dependent check cannot be made."""

    code = "no-market-data"


class InvalidFill(DomainError):
    """A fill that does not belong to the order or account, or has a bad quantity or price."""

    code = "invalid-fill"


class InvalidCashAmount(DomainError):
    """A cash amount that the ledger refuses (zero, negative, over-precise, too large)."""

    code = "invalid-amount"


class NotPendingApproval(DomainError):
    """A guardian's decision on an order that no longer waits for one (decided, cancelled, …)."""

    code = "not-pending-approval"


class ApprovalExpired(DomainError):
    """A guardian's decision after the order's approval deadline (market time) has passed."""

    code = "approval-expired"
