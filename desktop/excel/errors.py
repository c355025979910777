"""Errors of the Excel export and import."""

from db.errors import UserError


class ExcelError(UserError):
    """A file that cannot be written or read; ``str(err)`` is a Chinese sentence."""
