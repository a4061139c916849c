"""What a workspace tells its owner once its transaction commits: each changed order on
`orders:<user>`, the account's cash, buying power and equity on `accounts:<user>`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from keel.domain.money import to_money
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import OrderOut
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.realtime.payloads import account_data, order_data

if TYPE_CHECKING:
    from keel.server.orders.workspace import Workspace


def publish_changes(workspace: Workspace, changed: list[OrderRow]) -> dict[str, OrderOut]:
    """Publish after commit; returns each changed order as published, by id (the answer)."""
    session, account = workspace.session, workspace.account
    pubsub = get_pubsub(workspace.runtime)
    user_id = workspace.row.user_id
    published: dict[str, OrderOut] = {}
    for row in changed:
        out = published[row.id] = OrderOut.model_validate(row)
        message = order_data(out)
        publish_after_commit(session, pubsub, user_channel("orders", user_id), message)
    if changed:
        state = account_data(
            account.id,
            cash=format(account.cash, "f"),
            buying_power=format(account.buying_power, "f"),
            equity=format(to_money(account.equity(workspace.marks())), "f"),
            epoch=workspace.row.epoch,
        )
        publish_after_commit(session, pubsub, user_channel("accounts", user_id), state)
    return published
