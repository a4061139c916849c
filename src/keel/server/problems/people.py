"""Problem pages about requests, signing in, guardians and the server itself."""

from __future__ import annotations

from keel.server.problems.page import ProblemPage as P

PEOPLE_PAGES: dict[str, P] = {
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
    "second-factor-throttled": P(
        "Too many wrong codes",
        "Someone typed several wrong codes from the authenticator app for this account, so "
        "codes are not checked for a while. Wait the number of seconds given, then type the "
        "newest code your app shows.",
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
    "own-access": P(
        "You cannot switch off your own sign-in",
        "An administrator who switched themselves off could lock everyone out. Ask another "
        "administrator to do it, or leave your account on.",
    ),
    "guardian-only": P(
        "Only a guardian can do this",
        "This action is for guardians, the adults who look after a young learner's account. "
        "Sign in with the guardian's account to do it.",
    ),
    "teacher-only": P(
        "Only a teacher can do this",
        "This action is for teachers, who run classes: they make the class, add students, and "
        "start or pause the class's market. An administrator can turn an account into a teacher's.",
    ),
    "password-change-required": P(
        "Choose your own password first",
        "Your teacher made your account and gave you a password to use once. Before anything "
        "else, pick a new password that only you know, then carry on where you were.",
    ),
    # ----- classes -----
    "invalid-roster": P(
        "Some rows of the class list need fixing",
        "Nobody was added, so nothing is half done. The answer lists each row with a problem and "
        "what is wrong with it: a missing name, an email that is not an email or is used twice, "
        "or a date of birth not written as YYYY-MM-DD. Fix those rows and send the whole list "
        "again.",
    ),
    "unknown-join-code": P(
        "No class has this code",
        "The code does not match any class. Check it with your teacher, letter by letter, and "
        "try again.",
    ),
    "already-in-class": P(
        "You are already in this class",
        "You joined this class before, so you already have its practice account. Open it from "
        "your accounts.",
    ),
    "learners-only": P(
        "Only learners join classes",
        "Classes are for learners. Teachers, guardians and administrators cannot join one as a "
        "student; sign in with a learner's account to join.",
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
    "guardians-full": P(
        "You already have all the guardians you can have",
        "A learner under 18 can be linked to a limited number of guardians, and you have that "
        "many already. One of them would have to unlink before another can join.",
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
    "too-many-account-requests": P(
        "Your guardian has several requests to answer already",
        "Opening or restarting an account needs your guardian's OK, and you already have "
        "several requests waiting for them. Wait until your guardian has answered, then ask again.",
    ),
    "request-not-pending": P(
        "This request was already answered",
        "Only a request that is still waiting can be approved or turned down. This one was "
        "already approved or turned down.",
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
