# Cases for `semgrep --test deploy/security` (make security): each rule of semgrep.yml must flag
# the lines marked `ruleid` and leave the lines marked `ok` alone. Never imported or run.
# ruff: noqa
import structlog
from fastapi.responses import RedirectResponse
from sqlalchemy import text

log = structlog.get_logger()


def sql(connection, name, user_id):
    # ruleid: keel-sql-from-strings
    connection.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
    # ruleid: keel-sql-from-strings
    connection.execute(text("SELECT * FROM users WHERE id = " + user_id))
    # ruleid: keel-sql-from-strings
    connection.execute("DELETE FROM orders WHERE id = %s" % user_id)
    # ruleid: keel-sql-from-strings
    connection.execute("SELECT {}".format(name))
    # ok: keel-sql-from-strings
    connection.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})


def code(source):
    # ruleid: keel-no-eval
    eval(source)
    # ruleid: keel-no-eval
    exec(source)


def logs(settings, user, password, access_token):
    # ruleid: keel-no-secrets-in-logs
    log.info("login", email=user.email, password=password)
    # ruleid: keel-no-secrets-in-logs
    log.warning("refresh failed", refresh_token=access_token)
    # ruleid: keel-no-secrets-in-logs
    log.info("configured", key=settings.jwt_secret.get_secret_value())
    # ok: keel-no-secrets-in-logs
    log.info("login", user_id=user.id, method="password")


async def next_page(request, next: str):
    # ruleid: keel-unvalidated-redirect
    return RedirectResponse(next)


def back(request):
    # ruleid: keel-unvalidated-redirect
    return RedirectResponse(request.query_params["return_to"])


def presigned(url_from_the_store):
    # ok: keel-unvalidated-redirect
    return RedirectResponse(url_from_the_store, status_code=307)
