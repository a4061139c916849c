"""Problem pages about accounts, market data, orders, markets (scenarios), breakers and backtests."""

from __future__ import annotations

from keel.server.problems.page import ProblemPage as P

TRADING_PAGES: dict[str, P] = {
    # ----- accounts, market data and orders -----
    "starting-cash-too-large": P(
        "That is too much starting money",
        "A practice account can start with at most the amount the answer shows. Choose a smaller "
        "starting amount.",
    ),
    "account-not-found": P(
        "Account not found",
        "There is no practice account with this id, or it is not yours. List your accounts with "
        "GET /api/v1/accounts and use one of their ids.",
    ),
    "unknown-symbol": P(
        "This instrument cannot be traded here",
        "The symbol is not one you can trade in this market, or it is only shown for reference "
        "(like VIX, which measures how jumpy the market is). See the list with GET "
        "/api/v1/instruments and pick one marked tradable.",
    ),
    "no-quote": P(
        "No price right now",
        "This instrument has no live price at the moment, for example because the market replay "
        "has not reached a day when it traded. Try again later or choose another instrument.",
    ),
    "market-data-stale": P(
        "Prices have stopped arriving",
        "New market prices have not come in for a while, so the price the server knows may no "
        "longer be the real one. To keep things fair, no order is filled until prices flow "
        "again. Nothing was bought or sold: wait a minute and send the order again.",
    ),
    "no-market-data": P(
        "No price yet to value the order",
        "The order needs today's price of the instrument to work out what it costs, and there "
        "is none yet. Wait a moment for the market to open and try again, or use a limit price.",
    ),
    "invalid-range": P(
        "The dates are the wrong way round",
        "The start date comes after the end date. Swap them, or leave one out.",
    ),
    "invalid-order": P(
        "The order is not filled in right",
        "Something in the order does not work: for example a quantity of zero, a price with too "
        "many decimals, or a limit price on a market order. The answer names the field to fix.",
    ),
    "invalid-amount": P(
        "That amount of money does not work",
        "The amount is zero, negative, has more than two decimals or is far too large. Send an "
        "amount in dollars and cents, like 250.00.",
    ),
    "invalid-quote": P(
        "A price could not be used",
        "A price of the instrument looked broken (for example the buying price was below the "
        "selling price), so nothing was traded on it. Try again in a moment.",
    ),
    "invalid-fill": P(
        "A trade could not be booked",
        "A trade did not match its order, so it was not booked and your account was not "
        "changed. Try again; if it happens again, tell us with the time it happened.",
    ),
    "order-not-found": P(
        "Order not found",
        "There is no order with this id, or it is not yours. List your orders with GET "
        "/api/v1/orders and use one of their ids.",
    ),
    "order-not-cancellable": P(
        "This order can no longer be cancelled",
        "Only an open order can be cancelled. This one has already been filled, cancelled, "
        "rejected or has run out, so there is nothing left to cancel.",
    ),
    "illegal-order-transition": P(
        "The order cannot change like that",
        "An order moves through fixed steps (waiting, accepted, filled and so on) and this "
        "change does not fit where the order is now. Look at the order's status and try again.",
    ),
    "order-rejected": P(
        "The order was refused",
        "The order could not be placed. The answer says why in its detail; change the order "
        "and place it again.",
    ),
    "order-gate-refused": P(
        "The order was refused by a safety check",
        "Before any order is placed, safety checks look at it. One of them said no; the answer "
        "says which one and why.",
    ),
    "insufficient-funds": P(
        "Not enough money for this order",
        "The order costs more than the cash you have free. Cash already set aside for your other "
        "open orders is not free. Buy less, or cancel an open order first.",
    ),
    "insufficient-position": P(
        "You are selling more than you own",
        "You asked to sell more of the instrument than your account holds (part may already be "
        "set aside for another open sell order). Sell at most what is free.",
    ),
    "position-limit": P(
        "The position would be too big",
        "There is a limit on how much of one instrument an account may hold, and this order "
        "would go over it. Buy less, so that what you hold stays under the limit.",
    ),
    "domain-error": P(
        "The request breaks a trading rule",
        "A rule of the trading game refused this request. The answer says which rule; change "
        "the request and try again.",
    ),
    # ----- scenarios (markets with their own clock) -----
    "scenario-not-running": P(
        "This market is not running right now",
        "Each practice market (a scenario) has its own clock, and this one is not running on "
        "the server at the moment. Ask your teacher or the administrator to start it.",
    ),
    "scenario-archived": P(
        "This market has ended",
        "This practice market (a scenario) is finished, and its clock has stopped for good. "
        "Pick another market, or ask your teacher to create a new one.",
    ),
    "invalid-start-date": P(
        "The market cannot start on that date",
        "A practice market replays real price history, so it must start on a day that history "
        "covers, with enough days after it. The answer gives the earliest and latest start.",
    ),
    "unknown-dataset": P(
        "You have no file by that name",
        "A practice market can replay price files you uploaded, but one of the names you gave "
        "is not among your files. Upload it first (PUT /api/v1/backtests/datasets/<name>), or "
        "choose one of the names the answer lists.",
    ),
    "invalid-dataset": P(
        "That file cannot be a market",
        "A practice market can replay your own price files: each needs a date and the open, "
        "high, low and close prices, one row a day, for at least a couple of months, and a name "
        "that starts with a letter and is not already used by another instrument. The answer "
        "says what is wrong with the file.",
    ),
    "invalid-speed": P(
        "That speed does not work",
        "A market's clock says how many real seconds one trading day lasts. The answer gives "
        "the slowest and fastest allowed; choose a number between them.",
    ),
    "invalid-skip": P(
        "That skip does not work",
        "You can jump a market's clock forward by part of a day up to a limited number of "
        "trading days at once. Choose a smaller jump, or skip several times.",
    ),
    # ----- circuit breakers -----
    "breaker-closed": P(
        "Trading is stopped for now",
        "Sometimes prices move so fast that trading is paused to protect everyone, as real "
        "stock exchanges do. No new orders are taken until it reopens; the answer says when it "
        "may reopen. You can still cancel your open orders.",
    ),
    "breaker-restricted": P(
        "Only small new positions are allowed now",
        "Prices are swinging very strongly, so for now new positions may only be very small, "
        "and this order would go past that. Making a position you already hold smaller is "
        "always allowed. Try a much smaller order, or wait until things calm down.",
    ),
    "breaker-cautious-cap": P(
        "The order is too big while the market is jumpy",
        "When prices swing a lot, Keel lets positions grow only to a smaller size, to protect "
        "you from big losses. Your position already reaches that size, or the order would go "
        "past it. Place a smaller order, or wait for calmer days.",
    ),
    "breaker-conflict": P(
        "Trading is already in that state",
        "You asked to stop or restart trading, but it is already stopped or already running.",
    ),
    "engine-unavailable": P(
        "The trading engine did not answer",
        "The part of Keel that runs the market did not answer in time, so nothing was changed. "
        "Try again in a few seconds.",
    ),
    # ----- lessons -----
    "unknown-question": P(
        "That question is not in this lesson",
        "The answers named a question the lesson does not have. Answer the questions the lesson "
        "shows, using their ids, and send again.",
    ),
    "unknown-choice": P(
        "That answer is not one of the choices",
        "Each question has a few choices, named a, b, c and so on. Pick one of the letters the "
        "question shows and send again.",
    ),
    "lesson-required": P(
        "Take the lesson first",
        "This kind of order is locked until you know the lesson it needs. You, or your guardian, "
        "chose this. Open the lesson the answer links to, read it and pass its quiz, then send "
        "the order again.",
    ),
    # ----- backtests -----
    "too-many-backtests": P(
        "Too many tests running at once",
        "You already have the most strategy tests (backtests) waiting or running that one person "
        "may have. Wait for one to finish, or cancel one, then start the next.",
    ),
    "backtest-not-finished": P(
        "The test has not finished yet",
        "The results of a strategy test (backtest) exist only once it has finished well. Wait "
        "for it to finish and ask again.",
    ),
    "backtest-finished": P(
        "The test has already ended",
        "Only a strategy test (backtest) that is waiting or running can be cancelled; this one "
        "has already ended.",
    ),
    "backtest-results-gone": P(
        "The test's results are gone",
        "The saved results of this strategy test (backtest) no longer exist. Run the test "
        "again to get new results.",
    ),
    "storage-quota-exceeded": P(
        "Your storage space is full",
        "Each person has a limited space for uploaded price files and the results of strategy "
        "tests (backtests). Yours is full, so nothing was saved. Delete files you no longer "
        "need; old test results are removed automatically after a while.",
    ),
    "backtest-beyond-market-time": P(
        "Those days have not happened yet in your market",
        "This price history is being replayed as a live market, and a strategy test may only "
        "use days that market has already played. Otherwise it would show prices from the "
        "market's future. Choose dates that end before the market's current day; a test whose "
        "dates run past it stops the day before, and says so.",
    ),
}
