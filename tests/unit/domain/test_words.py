"""Amounts and instruments as people read them (`keel.domain.money`, `keel.domain.instruments`)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from keel.domain.instruments import INDEX_NAMES, instrument_label
from keel.domain.money import (
    format_money,
    format_percent,
    format_price,
    format_quantity,
    plain_decimal,
)
from keel.market.datasets import BUNDLED


@pytest.mark.parametrize(
    ("value", "money", "quantity", "price", "plain"),
    [
        ("1E+3", "1,000.00", "1,000", "1,000.00", "1000"),
        ("2000.000000", "2,000.00", "2,000", "2,000.00", "2000"),
        ("1229.197804", "1,229.20", "1,229.197804", "1,229.197804", "1229.197804"),
        ("1.0734", "1.07", "1.0734", "1.0734", "1.0734"),
        ("-1234567.5", "-1,234,567.50", "-1,234,567.5", "-1,234,567.50", "-1234567.5"),
        ("0.000001", "0.00", "0.000001", "0.000001", "0.000001"),
        ("-0.001", "0.00", "-0.001", "-0.001", "-0.001"),
        ("0E-6", "0.00", "0", "0.00", "0"),
    ],
)
def test_amounts_read_as_people_write_them(
    value: str, money: str, quantity: str, price: str, plain: str
) -> None:
    number = D(value)
    assert format_money(number) == money
    assert format_quantity(number) == quantity
    assert format_price(number) == price
    assert plain_decimal(number) == plain


def test_percentages() -> None:
    assert format_percent(D("0.075")) == "7.5%"
    assert format_percent(D("0.5")) == "50%"
    assert format_percent(D("0.123456")) == "12.35%"


def test_indices_are_named_and_other_symbols_are_not() -> None:
    assert instrument_label("SPX") == "SPX (the S&P 500 index)"
    assert instrument_label("GOOG") == "GOOG"
    assert instrument_label("ACME") == "ACME"


def test_every_bundled_index_has_its_name_in_messages() -> None:
    indices = {symbol for symbol, (info, _) in BUNDLED.items() if info.asset_class == "index"}
    assert indices == set(INDEX_NAMES)
    for symbol in indices:
        info = BUNDLED[symbol][0]
        assert INDEX_NAMES[symbol].removeprefix("the ").lower() == info.name.lower(), symbol


def test_huge_amounts_still_format() -> None:
    assert format_money(D("1E+30")) == "1,000,000,000,000,000,000,000,000,000,000.00"
    assert format_quantity(D("1E+30")) == "1,000,000,000,000,000,000,000,000,000,000"
