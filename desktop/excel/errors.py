"""Errors of the Excel export and import; their messages are for the user."""


class ExcelError(Exception):
    """A file that cannot be written or read; ``str(err)`` is a Chinese sentence."""


class ExportCancelled(Exception):
    pass
