"""Database housekeeping that both databases need, and running a write transaction
again when the database gave it up in a deadlock (retry_on_conflict)."""

import functools
import logging

from django.core.exceptions import ValidationError
from django.db import OperationalError, connections, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def update_statistics(using: str = "default") -> None:
    """ANALYZE: fresh statistics for the query planner after bulk writes (demo data).

    Without them SQLite guesses that any indexed equality is selective, and reads a
    province's managers by scanning every HTX of the country through the type index
    (5 s instead of 0.06 s for an indicator over a province's communes, measured on the
    national data set). PostgreSQL's autovacuum keeps statistics in production; this
    brings them up to date at once. About a second on the national data set."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


# SQLSTATEs of a transaction the database gave up on so that others could go on: a
# deadlock victim (40P01) and a serialization failure (40001). Running it again from
# the start is safe: nothing of it was kept.
CONFLICT_STATES = {"40P01", "40001"}
BUSY_MESSAGE = _("Many people are saving at this moment and yours could not be saved. Nothing was changed: "
                 "send it again.")


def is_conflict(error: OperationalError) -> bool:
    """Whether the database rolled this transaction back because of others (PostgreSQL's
    deadlock or serialization failure, SQLite's lock held past its timeout)."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in CONFLICT_STATES:
        return True
    return "database is locked" in str(error)


def retry_on_conflict(func):
    """Run a write transaction once more when the database chose it as a deadlock victim
    (or could not serialise it); the second failure becomes a ValidationError with a
    message, so the page says "send it again" instead of answering 500.

    Put it above @transaction.atomic. Only the outermost transaction can start again:
    called inside another one, the error goes up unchanged for that one to handle."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            logger.warning("%s: %s; running it again", func.__qualname__, str(error).splitlines()[0])
        try:
            return func(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            logger.warning("%s: %s again; the user is asked to send again", func.__qualname__,
                           str(error).splitlines()[0])
            raise ValidationError(BUSY_MESSAGE) from error

    return wrapper


def still_pending(callback, using: str = "default") -> bool:
    """Whether `callback`, given to transaction.on_commit, still waits for the current
    transaction to commit: False once it ran, or once the transaction (or the savepoint it
    was registered in) rolled back, which drops it. Memory kept on the connection for
    "the rest of this transaction" checks it, because the outermost transactions of a
    process all have the same (empty) savepoint ids and would otherwise share it.
    Reads Django's list of callbacks (`connection.run_on_commit`)."""
    return any(func is callback for _sids, func, _robust in connections[using].run_on_commit)
