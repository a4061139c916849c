"""Exact money, price and quantity handling.

Cash and prices are `Decimal`, never float. Floats appear only inside numeric analytics
(returns, volatility) and cross into money through `to_price` / `to_money` here, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

CASH_PLACES = Decimal("0.01")
"""Cash is kept to the cent."""
PRICE_PLACES = Decimal("0.0001")
"""Prices are kept to 1/100 of a cent (enough for FX quotes such as EURUSD 1.0734)."""
QUANTITY_PLACES = Decimal("0.000001")
"""Fractional quantities are kept to 6 decimal places."""

MAX_CASH = Decimal("1000000000")
"""Upper bound on any single cash amount, to keep bad input away from the ledger."""


class InvalidAmount(ValueError):
    """A price, quantity or cash amount that cannot be represented exactly and safely."""


def parse_decimal(value: object, *, field: str = "value") -> Decimal:
    """Parse `value` (str, int, Decimal or float) into a finite Decimal, refusing NaN and infinity."""
    if isinstance(value, bool):
        raise InvalidAmount(f"{field} must be a number, not a boolean")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidAmount(f"{field} is not a number: {value!r}") from exc
    if not number.is_finite():
        raise InvalidAmount(f"{field} must be finite, got {value!r}")
    return number


def has_at_most_places(number: Decimal, places: Decimal) -> bool:
    """True when `number` needs no rounding to the precision of `places`."""
    return number == number.quantize(places, rounding=ROUND_HALF_EVEN)


def to_money(value: object) -> Decimal:
    """Round to the cent (banker's rounding)."""
    return parse_decimal(value).quantize(CASH_PLACES, rounding=ROUND_HALF_EVEN)


def to_price(value: object) -> Decimal:
    """Round to the price grid (banker's rounding); floats go through `repr` to avoid binary noise."""
    return parse_decimal(value).quantize(PRICE_PLACES, rounding=ROUND_HALF_EVEN)


def to_quantity(value: object) -> Decimal:
    """Round down to the quantity grid, so a notional order never buys more than it pays for."""
    from decimal import ROUND_DOWN

    return parse_decimal(value).quantize(QUANTITY_PLACES, rounding=ROUND_DOWN)


# ----- amounts in human text -------------------------------------------------------------------
# Every message a person reads formats its figures here: 1,000 (never 1E+3), money to the cent
# with thousands separators, quantities without trailing zeros. Machine-readable figures stay plain
# decimal strings (see `plain_decimal`).


def plain_decimal(value: Decimal) -> str:
    """Positional text with no exponent and no trailing zeros: `1E+3` → `1000`, `2.50` → `2.5`."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def format_money(amount: Decimal) -> str:
    """Cash for people: two decimals and thousands separators, `1E+3` → `1,000.00`."""
    text = f"{amount:,.2f}"  # Decimal formatting rounds half-even, at any size (no context limit)
    return text.removeprefix("-") if text == "-0.00" else text


def format_quantity(quantity: Decimal) -> str:
    """A quantity for people: thousands separators, no trailing zeros, `2000.000000` → `2,000`."""
    return _grouped(plain_decimal(quantity))


def format_price(price: Decimal) -> str:
    """A price for people: thousands separators, at least two decimals (`1,248.81`, `1.0734`)."""
    text = plain_decimal(price)
    whole, _, fraction = text.partition(".")
    return _grouped(whole) + "." + fraction.ljust(2, "0")


def format_percent(fraction: Decimal) -> str:
    """A fraction as a percentage for people, at most two decimals: `0.075` → `7.5%`."""
    return f"{format_quantity(Decimal(f'{fraction * 100:.2f}'))}%"


def _grouped(text: str) -> str:
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}"
