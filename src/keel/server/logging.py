"""Structured logs (structlog): JSON lines with a request id bound per request."""

from __future__ import annotations

import logging
import re
import sys

import structlog

_SECRET_IN_URL = re.compile(r"([?&](?:access_token|token|refresh_token)=)[^&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with the value of every `token=` (or `access_token=`, `refresh_token=`) URL
    parameter replaced by `[redacted]`."""
    if "token=" not in text.lower():  # the common case, and safe while Python shuts down
        return text
    return _SECRET_IN_URL.sub(lambda found: found.group(1) + "[redacted]", text)


class RedactTokens(logging.Filter):
    """Keeps tokens out of every log line: uvicorn logs a WebSocket's URL with its query string
    (`"WebSocket /api/v1/ws?token=…" [accepted]`), and an access token in a log is a session
    anyone reading the log can use."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):  # a structlog event: clean its text values
            for key, value in record.msg.items():
                if isinstance(value, str):
                    record.msg[key] = redact(value)
            return True
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    """Route stdlib and structlog records through one JSON (or console) renderer."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        # Below the level, a call stops at the first processor (no timestamp, no context).
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).handlers[:] = []
        logging.getLogger(noisy).propagate = False
