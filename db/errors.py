"""Errors raised when a database cannot be opened; their messages are for the user."""


class DatabaseOpenError(Exception):
    """The database cannot be opened; ``str(err)`` is a Chinese sentence for the user."""


class NotADatabaseError(DatabaseOpenError):
    pass


class SchemaTooNewError(DatabaseOpenError):
    pass


class MigrationError(DatabaseOpenError):
    pass
