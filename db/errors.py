"""Errors raised when a database cannot be opened; their messages are for the user."""


class DatabaseOpenError(Exception):
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


class AccessDenied(Exception):
    """The signed-in account's role does not allow the action; ``str(err)`` says so in Chinese."""
