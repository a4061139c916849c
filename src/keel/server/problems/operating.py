"""Problem pages about feature flags and feedback."""

from __future__ import annotations

from keel.server.problems.page import ProblemPage as P

OPERATING_PAGES: dict[str, P] = {
    "unknown-flag": P(
        "There is no flag with this name",
        "A feature flag switches a part of the app on or off for some people. The flag you named "
        "is not one of Keel's flags. The list of flags on the admin page shows their names.",
    ),
    "unknown-variant": P(
        "This flag has no such choice",
        "Each feature flag has a few named choices, called variants, such as on and off. You "
        "picked a name the flag does not have. The answer lists the flag's variants: pick one.",
    ),
    "flags-managed-elsewhere": P(
        "The flags are changed on the flag server",
        "This Keel server asks a separate flag server which features to show. Its flags can only "
        "be changed there, so change the flag on the flag server instead.",
    ),
    "feature-not-enabled": P(
        "This part of Keel is not switched on for you",
        "Some parts of Keel are switched on for a group of people at a time, with a feature "
        "flag. New parts go to the beta group first; a part can also be switched off for a "
        "while. This one is off for you right now, so Keel did not do what you asked. The answer "
        "names the flag. Ask an admin if you want to try it.",
    ),
    "feedback-state-too-large": P(
        "The app state sent with your feedback is too big",
        "Your feedback can carry a copy of what the app showed, to help us find the problem. "
        "That copy was too big to keep. Send your feedback again without it; your words are "
        "what matter most.",
    ),
}
