"""Exceptions the upload screen turns into messages.

Both carry a Vietnamese message meant for the officer who uploaded the file;
``str(exc)`` is that message.
"""


class ExtractionError(Exception):
    """Base class: the message is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnreadableDocument(ExtractionError):
    """The file could not be turned into text (format, encoding, damage, scan)."""


class NotAPlan(ExtractionError):
    """The text was read but is not a Đề án 01 plan, or nothing could be taken from it."""
