"""The errors a user can act on, and the one way a long job says it was cancelled.

Every error whose message is meant for the clerk derives from ``UserError``: its ``str()`` is one Chinese
sentence (or a few), shown as it is by the command line and the window, each in one place. Any other exception
is a bug: it goes to the log with its traceback, and the user is told where that log is. This module sits in
``db`` because it is the lowest layer; the core and the window import the two bases from here.
"""


class UserError(Exception):
    """A problem the user can act on; ``str(err)`` is the Chinese sentence to show."""


class Cancelled(UserError):
    """The user cancelled a long job; whatever it was writing has been rolled back or removed."""

    def __init__(self, message: str = "已取消，未作任何修改。") -> None:
        super().__init__(message)


class DatabaseOpenError(UserError):
    """The database cannot be opened; ``str(err)`` is a Chinese sentence for the user."""


class NotADatabaseError(DatabaseOpenError):
    pass


class SchemaTooNewError(DatabaseOpenError):
    pass


class MigrationError(DatabaseOpenError):
    pass


class DamagedDatabaseError(DatabaseOpenError):
    """The file fails SQLite's quick_check; it is not opened, so nothing can be written to it."""

    def __init__(self, message: str, latest_backup: object | None = None) -> None:
        super().__init__(message)
        self.latest_backup = latest_backup  # a db.backups.BackupInfo, or None when there is none


class ServerConnectError(DatabaseOpenError):
    """A database server that cannot be reached, or has no such database."""


class ServerAuthError(ServerConnectError):
    """The server wants a password (or another one); ``url`` is the server without it, to ask for it again."""

    def __init__(self, message: str, url: object) -> None:
        super().__init__(message)
        self.url = url


class DatabaseInUseError(DatabaseOpenError):
    """Another process has the file open for writing."""


class AccessDenied(UserError):
    """The signed-in account's role does not allow the action; ``str(err)`` says so in Chinese."""
