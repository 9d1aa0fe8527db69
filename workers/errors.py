"""What "the job queue is down" looks like to callers: the exception types and one line that says so.

Redis holds job state and is Celery's broker; when it cannot be reached, redis-py raises ``ConnectionError`` or
``TimeoutError`` and Celery's ``send_task`` raises kombu's ``OperationalError``. The API answers 503 with
:func:`queue_down_message` and the CLI prints it as its one line (the Redis password, if any, redacted).
"""

from __future__ import annotations

import redis
from kombu.exceptions import OperationalError

from common.urls import redact


def queue_errors() -> tuple[type[Exception], ...]:
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OperationalError)


def queue_down_message(redis_url: str, error: BaseException) -> str:
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return f"the job queue at {redact(redis_url)} is unreachable ({reason}); start Redis or check service.redis_url"
