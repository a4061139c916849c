"""A teacher's roster import: a CSV of students (name, email, date of birth) becomes accounts
in the class's market, each with a one-time password the teacher sees once.

Every row is checked before anything is written; one bad row refuses the whole list (422
`invalid-roster`, each bad row with its line, field and what is wrong), so a class is never half
imported. The date of birth is needed because a learner under 18 trades only with a guardian's
approval (the minors' rules of the order gate). A one-time password must be changed at the first
sign-in (`User.must_change_password`): until then every route but the password change answers 403.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Role
from keel.server.auth.models import User, age_on
from keel.server.auth.service import MAX_AGE_YEARS, create_user, normalize_email
from keel.server.classes import repository
from keel.server.classes.models import ROSTER, ClassRow
from keel.server.classes.schemas import NewStudentOut, RosterErrorOut, RosterOut
from keel.server.classes.service import enrol
from keel.server.errors import ProblemError
from keel.server.runtime import Runtime

COLUMNS = ("name", "email", "date_of_birth")
MAX_STUDENTS = 500
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # pragma: allowlist secret (an alphabet)
PASSWORD_GROUPS, GROUP_LENGTH = 4, 4
"""`xxxx-xxxx-xxxx-xxxx`: 16 random characters of 31 (79 bits), easy to copy from a printed list."""


def one_time_password() -> str:
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    date_of_birth: date


def parse_roster(text: str, today: date) -> tuple[list[RosterRow], list[RosterErrorOut]]:
    """The rows of a roster CSV and every problem found in it (line numbers as in the file)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        message = f"the first line must name the columns {', '.join(COLUMNS)}"
        return [], [RosterErrorOut(row=1, field=", ".join(missing), message=message)]
    reader.fieldnames = header
    rows: list[RosterRow] = []
    errors: list[RosterErrorOut] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num

        def bad(field: str, message: str, line: int = line) -> None:
            errors.append(RosterErrorOut(row=line, field=field, message=message))

        name = (record.get("name") or "").strip()
        raw_email = (record.get("email") or "").strip()
        raw_birth = (record.get("date_of_birth") or "").strip()
        if not (name or raw_email or raw_birth):
            continue  # a blank line
        if not name or len(name) > 100 or any(ord(ch) < 32 for ch in name):
            bad("name", "write the student's name (1 to 100 characters)")
        email = normalize_email(raw_email)
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            bad("email", f"'{raw_email}' is not an email address")
        else:
            if email in seen:
                bad("email", f"{email} is already on line {seen[email]}")
            seen.setdefault(email, line)
        try:
            born = date.fromisoformat(raw_birth)
        except ValueError:
            bad("date_of_birth", f"'{raw_birth}' is not a date written YYYY-MM-DD")
            born = today
        else:
            if born > today or age_on(born, today) > MAX_AGE_YEARS:
                bad("date_of_birth", f"{raw_birth} cannot be a student's date of birth")
        rows.append(RosterRow(line, name, email, born))
    if not rows and not errors:
        errors.append(RosterErrorOut(row=2, field="name", message="the list has no students"))
    if len(rows) > MAX_STUDENTS:
        errors.append(
            RosterErrorOut(
                row=1, field="name", message=f"import at most {MAX_STUDENTS} students at a time"
            )
        )
    return rows, errors


async def import_roster(
    session: AsyncSession, runtime: Runtime, class_row: ClassRow, text: str
) -> RosterOut:
    """Create every student of the roster (or none: 422 with each bad row)."""
    now = runtime.clock.now()
    rows, errors = parse_roster(text, now.date())
    taken = await repository.emails_taken(session, [row.email for row in rows])
    for row in rows:
        if row.email in taken:
            errors.append(
                RosterErrorOut(
                    row=row.line,
                    field="email",
                    message=f"{row.email} already has a Keel account: ask the student to join "
                    f"with the class code {class_row.join_code} instead",
                )
            )
    if errors:
        errors.sort(key=lambda error: error.row)
        raise ProblemError(
            422,
            "invalid-roster",
            "Nobody was added: some rows need fixing (see `errors`, one per row and field).",
            errors=[error.model_dump() for error in errors],
            figures={"rows": len(rows), "rows_with_errors": len({e.row for e in errors})},
        )
    created = []
    for row in rows:
        password = one_time_password()
        student: User = await create_user(
            session,
            runtime.settings,
            email=row.email,
            password=password,
            display_name=row.name,
            date_of_birth=row.date_of_birth,
            role=Role.LEARNER,
            now=now,
            must_change_password=True,
        )
        member = await enrol(session, runtime, class_row, student, via=ROSTER, now=now)
        created.append(
            NewStudentOut(
                row=row.line,
                user_id=student.id,
                name=row.name,
                email=row.email,
                account_id=member.account_id,
                one_time_password=password,
            )
        )
    return RosterOut(class_id=class_row.id, created=created)
