"""What each problem means, in words a 14-year-old beginner understands: one entry per code.

Every code in `keel.server.errors.PROBLEM_TYPES` has exactly one page here (a test checks both
ways). A page says what happened and what to do next, without jargon.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProblemPage:
    """`title`: a short heading; `text`: one paragraph, what happened and what to do."""

    title: str
    text: str


P = ProblemPage

PAGES: dict[str, ProblemPage] = {
    # ----- requests and sign-in -----
    "validation-error": P(
        "Something in the request is not filled in right",
        "One of the fields you sent is missing, has the wrong kind of value or is out of range. "
        "The answer names the field. Fix that field and send the request again.",
    ),
    "invalid-text": P(
        "The text contains characters that cannot be saved",
        "Some text you sent contains an invisible control character or a broken emoji. Type "
        "the text again (or copy it from somewhere else) and send it again.",
    ),
    "body-too-large": P(
        "The request is too big",
        "You sent more data than the server accepts in one request. Send less, or split it "
        "into several smaller requests.",
    ),
    "rate-limited": P(
        "Too many requests in a short time",
        "You (or your app) sent a lot of requests in one minute, so the server is asking you to "
        "slow down. Wait the number of seconds the answer gives, then try again.",
    ),
    "not-found": P(
        "Not found",
        "The thing you asked for does not exist, or it belongs to someone else, so you cannot "
        "see it. Check the address or the id you used.",
    ),
    "method-not-allowed": P(
        "This address does not do that",
        "The address exists, but not for this kind of request (for example you sent POST where "
        "only GET works). Check the API documentation at /docs.",
    ),
    "http-error": P(
        "The request could not be handled",
        "The server could not handle this request as it was sent. Check the address and the "
        "request against the API documentation at /docs and try again.",
    ),
    "unauthorized": P(
        "Please sign in",
        "You are not signed in, or your sign-in has run out or was ended (for example by logging "
        "out or changing your password). Sign in again to get a fresh access token.",
    ),
    "invalid-refresh-token": P(
        "Your sign-in has ended",
        "The token used to stay signed in is unknown, too old, or was already used. For your "
        "safety you need to sign in again with your email and password.",
    ),
    "login-throttled": P(
        "Too many wrong passwords",
        "Someone typed a wrong password for this account several times, so sign-in is paused "
        "for a short while. Wait the number of seconds given, then try again carefully.",
    ),
    "wrong-password": P(
        "The current password is wrong",
        "To change your password you must first type the password you use now, and it did not "
        "match. Type it again.",
    ),
    "weak-password": P(
        "Choose a stronger password",
        "The new password is too easy to guess. The answer lists what to change: make it longer, "
        "and do not use your email address or a password you had before.",
    ),
    "email-taken": P(
        "This email address is already used",
        "Someone (maybe you) already has an account with this email address. Sign in instead, "
        "or register with another address.",
    ),
    "invalid-date-of-birth": P(
        "The date of birth cannot be right",
        "The date of birth is in the future or far too long ago. Check the date and send it "
        "again as year-month-day, for example 2011-04-23.",
    ),
    "must-be-adult": P(
        "Only adults can have this kind of account",
        "Guardian and administrator accounts are for people who are 18 or older. Learners of any "
        "age can register as a learner.",
    ),
    "second-factor-required": P(
        "Enter the code from your authenticator app",
        "This action is protected by two-step sign-in. Open your authenticator app and send the "
        "6-digit code it shows now in the field called code.",
    ),
    "invalid-second-factor": P(
        "That code did not work",
        "The code from your authenticator app is wrong, has already run out (codes change every "
        "30 seconds) or was already used. Wait for the next code and try again.",
    ),
    "two-factor-already-enabled": P(
        "Two-step sign-in is already on",
        "Your account already asks for a code from your authenticator app. There is nothing to "
        "switch on.",
    ),
    "two-factor-not-enabled": P(
        "Two-step sign-in is not on",
        "Your account does not use codes from an authenticator app yet, so there is nothing to "
        "switch off or renew. You can switch it on first.",
    ),
    "two-factor-not-enrolled": P(
        "Set up your authenticator app first",
        "Before two-step sign-in can be switched on, add Keel to your authenticator app: start "
        "with POST /api/v1/auth/2fa/enrol, then confirm with a code.",
    ),
    "admin-only": P(
        "Only an administrator can do this",
        "This action changes things for everyone, so only administrators may do it. Ask an "
        "administrator if you think it is needed.",
    ),
    "guardian-only": P(
        "Only a guardian can do this",
        "This action is for guardians, the adults who look after a young learner's account. "
        "Sign in with the guardian's account to do it.",
    ),
    # ----- guardians and approvals -----
    "minors-only": P(
        "Only learners under 18 link to a guardian",
        "Invitation codes connect a learner under 18 to a guardian. Your account is an adult's, "
        "so it does not need a guardian.",
    ),
    "invalid-invitation": P(
        "This invitation code does not work",
        "The code is unknown, was already used, or has run out. Ask your guardian to create a "
        "new invitation and send you its code.",
    ),
    "already-linked": P(
        "You already have a guardian",
        "Your account is already linked to a guardian, so a second invitation cannot be used.",
    ),
    "guardian-required": P(
        "Link a guardian first",
        "Learners under 18 trade with a guardian's approval, and your account has no guardian "
        "yet. Ask a parent or guardian to invite you, then enter their invitation code.",
    ),
    "trading-paused": P(
        "Your guardian has paused trading",
        "Your guardian has switched off new orders for now. Talk to them; they can switch "
        "trading back on.",
    ),
    "over-guardian-limit": P(
        "The order is bigger than your guardian allows",
        "Your guardian set the most one order may be worth, and this order is worth more. Place "
        "a smaller order, or ask your guardian to raise the limit.",
    ),
    "guardian-order-limit": P(
        "The order is bigger than your guardian allows",
        "Your guardian set the most one order may be worth, and this order would be worth more "
        "at today's price. Place a smaller order, or ask your guardian to raise the limit.",
    ),
    "guardian-limit": P(
        "Your guardian's limits are tighter",
        "Your guardian set some of the safety limits on this account. You can make those limits "
        "stricter, but not looser. Ask your guardian if you want them changed.",
    ),
    "guardian-rejected": P(
        "Your guardian said no to this order",
        "Your guardian looked at the order and did not approve it. Talk to them about why, and "
        "try a different order if you both agree.",
    ),
    "not-pending-approval": P(
        "This order is not waiting for approval",
        "Only an order that is still waiting can be approved or rejected. This one was already "
        "approved, rejected, cancelled or has run out.",
    ),
    "approval-expired": P(
        "Too late to approve this order",
        "An order waits a limited time for approval, and that time has passed. The learner can "
        "place the order again if it is still wanted.",
    ),
    "minor-no-short": P(
        "You can only sell what you own",
        "Accounts of learners under 18 cannot sell more of an instrument than they hold (that is "
        "called selling short, and it can lose more money than you have). Sell at most what your "
        "account holds.",
    ),
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
    # ----- circuit breakers -----
    "breaker-closed": P(
        "Trading is stopped for now",
        "Sometimes prices move so fast that trading is paused to protect everyone, as real "
        "stock exchanges do. No new orders are taken until it reopens; the answer says when it "
        "may reopen. You can still cancel your open orders.",
    ),
    "breaker-restricted": P(
        "Only selling what you hold (or buying back) is allowed now",
        "The market is very jumpy, so for now you may only make your existing positions smaller. "
        "Orders that would make them bigger are refused until things calm down.",
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
    # ----- the server itself -----
    "unavailable": P(
        "Keel is restarting",
        "The server is shutting down or restarting, so your request was not done. Try again "
        "in a few seconds.",
    ),
    "not-ready": P(
        "Keel is not ready yet",
        "The server cannot reach its database right now, so it cannot answer. Try again soon.",
    ),
    "dependency-unavailable": P(
        "A service Keel needs is not answering",
        "A service the server relies on did not answer, so nothing was changed. Try again in a "
        "few seconds.",
    ),
    "internal-error": P(
        "Something went wrong on our side",
        "This is our mistake, not yours: the server hit an unexpected error and did not do what "
        "you asked. Try again; if it keeps happening, tell us the time it happened.",
    ),
}
