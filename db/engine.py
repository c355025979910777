"""Opening a database: the one way to get an engine, with pragmas and migrations."""

from __future__ import annotations

import json
import json.encoder
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from db.access import READING, Actor, install_guard, local_actor
from db.errors import (
    DamagedDatabaseError,
    DatabaseOpenError,
    MigrationError,
    NotADatabaseError,
    SchemaTooNewError,
    ServerAuthError,
    ServerConnectError,
)
from db.files import environment_reason, open_read_only, open_refusal, owner_only, private_folder
from db.locks import install_locks
from db.migrations import HEAD
from db.vault import attach
from db.writer_lock import WriterLock

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
NETWORK_FILESYSTEMS = {"cifs", "smbfs", "smb3", "nfs", "nfs4", "fuse.sshfs", "9p", "davfs", "afs"}


_READING: ContextVar[tuple[Database, Session] | None] = ContextVar("countyhealth_reading", default=None)


@dataclass
class Database:
    """An open database: the engine, a session factory and what happened on open."""

    engine: Engine
    url: URL
    path: Path | None
    journal_mode: str | None = None  # "DELETE" (a rollback journal) on a network share, else "WAL"
    revision_before: str | None = None
    backup_before_upgrade: Path | None = None
    writer_lock: WriterLock | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    actor: Actor = field(default_factory=local_actor)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_guard(self._sessions)
        install_locks(self._sessions)

    @property
    def on_network_share(self) -> bool:
        """A file on a UNC path or a network mount: WAL is unsafe there, so it runs with a rollback journal."""
        return self.journal_mode == "DELETE"

    @property
    def target(self) -> str:
        """What opens it again (``--db``, open_database): the file's path, or the server's URL with its password."""
        return str(self.path) if self.path is not None else self.url.render_as_string(hide_password=False)

    @property
    def display_name(self) -> str:
        """What the clerk sees and the recent list keeps: the file's path, or the server's URL without its password."""
        return str(self.path) if self.path is not None else without_password(self.url).render_as_string()

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def session(self) -> Session:
        """A new session for one user action or command, acting as ``actor``; the caller closes it."""
        session = self._sessions()
        session.info["actor"] = self.actor
        return session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads (a page's list, a form's values and choices): a write sent through it is
        refused before it reaches the database, and it ends rolled back. What writes is an action
        (``desktop.operations``), in a session of its own.

        Within another ``reading()`` of the same database on the same thread, it is that one: a page whose parts
        each read (the settings page's five tabs) reads in one transaction, one state of the records, and a server
        is asked to begin and check its key once."""
        outer = _READING.get()
        if outer is not None and outer[0] is self:
            yield outer[1]
            return
        with self.session() as session:
            session.info[READING] = True
            token = _READING.set((self, session))
            try:
                yield session
            finally:
                _READING.reset(token)

    def close(self) -> None:
        self.engine.dispose()
        if self.writer_lock is not None:
            self.writer_lock.release()


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The head as the migration scripts say (db.migrations.HEAD must agree; a test checks)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None  # the scripts have one head (a test checks)
    return head


def without_password(url: URL) -> URL:
    """The same server and database with no password in it (URL.set ignores None, so it cannot drop one)."""
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)


def to_url(target: str | os.PathLike[str]) -> URL:
    text = os.fspath(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername == "postgresql":  # the driver installed with the app (SQLAlchemy's default is psycopg2)
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


def is_network_path(path: Path) -> bool:
    """True for a UNC path or a file on a network filesystem, where WAL is unsafe."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # a drive letter mapped to a share (Z:) is as unsafe as its UNC path
        import ctypes

        drive = os.path.splitdrive(str(path.resolve()))[0]
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    resolved = str(path.resolve())
    best, best_type = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, best_type = parts[1], parts[2]
    return best_type in NETWORK_FILESYSTEMS


def open_database(  # noqa: C901, PLR0915
    target: str | os.PathLike[str],
    *,
    upgrade: bool = True,
    to_revision: str = "head",
) -> Database:
    """Open (and create, and migrate) the database at a path or SQLAlchemy URL.

    An existing SQLite file at an older schema is copied aside with SQLite's
    online backup API before the upgrade; the copy is what makes a failed
    upgrade recoverable, since SQLite DDL is not transactional in Alembic.
    """
    try:
        url = to_url(target)
    except (ValueError, ArgumentError) as exc:  # a NUL in a path, or a URL SQLAlchemy cannot read
        log.warning("cannot read the database target %r: %s", os.fspath(target), exc)
        raise DatabaseOpenError(f"数据库位置“{os.fspath(target)!r}”无效（不是文件路径，也不是服务器地址）。") from None
    path: Path | None = None
    journal = None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database)
        try:
            private_folder(path.parent)
        except OSError as exc:
            log.warning("cannot create %s: %s", path.parent, exc)
            reason = environment_reason(exc, path.parent) or f"无法创建数据库所在的文件夹“{path.parent}”。"
            raise DatabaseOpenError(reason) from None
        if path.is_dir():
            raise NotADatabaseError(f"“{path}”是文件夹，不是数据库文件。")
        lock = WriterLock(path).acquire()
        try:
            if not lock.reopened:  # a file this process has open is not opened again (see db.writer_lock)
                _refuse_foreign_file(path)
                _refuse_damaged_file(path)
        except BaseException:
            lock.release()
            raise
        journal = "DELETE" if is_network_path(path) else "WAL"
        if journal == "WAL":  # a file made before files were made private; SQLite gives -wal and -shm its mode
            for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                owner_only(part)
    else:
        lock = None
    try:
        engine = create_engine(url, json_serializer=_json_text)
        if url.get_backend_name() == "sqlite":
            _install_sqlite_pragmas(engine, journal)
        else:
            _reach_server(engine, url)
    except BaseException:
        if lock is not None:
            lock.release()  # raw descriptors are not closed by the garbage collector: a leak would hold the file
        raise
    db = Database(engine=engine, url=url, path=path, journal_mode=journal, writer_lock=lock)
    try:
        _start_signed_out_where_accounts_exist(db)
        current = current_revision(engine)
        db.revision_before = current
        if current == HEAD and to_revision == "head":
            _attach_vault_state(db)
            return db  # the usual open: nothing to migrate, and Alembic need not even be imported
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        if current is not None and not _known_revision(script, current):
            raise SchemaTooNewError(
                f"此数据库的结构版本（{current}）比本软件新，可能由更新版本的县域卫生健康台账创建。"
                "请升级软件后再打开，以免损坏数据。"
            )
        if current is None and _has_tables(engine):
            raise NotADatabaseError("该文件不是县域卫生健康台账的数据库（缺少版本信息），未作任何修改。")
        if upgrade and current != script.get_current_head() and to_revision != current:
            if current is not None and path is not None:
                from db.backups import make_backup

                db.backup_before_upgrade = make_backup(path, reason=f"before-upgrade-{current}").path
            _run_migrations(engine, to_revision)
        _attach_vault_state(db)
    except BaseException:
        db.close()
        raise
    return db


def _reach_server(engine: Engine, url: URL) -> None:
    """Connect once, so that a server out of reach or a wrong password is one sentence for the clerk."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        detail = str(exc.orig or exc)
        server = f"{url.host or '本机'}:{url.port or 5432}"
        where = f"{server} 上的数据库“{url.database}”"
        if "password" in detail or "authentication" in detail:
            raise ServerAuthError(
                f"无法登录{where}：用户“{url.username}”的密码不正确，或没有提供密码。", without_password(url)
            ) from None
        if "does not exist" in detail:
            raise ServerConnectError(
                f"服务器 {server} 上没有数据库“{url.database}”：请管理员先建好（空库即可）。"
            ) from None
        if any(sign in detail for sign in ("refused", "accepting TCP/IP", "timeout", "timed out", "resolve host")):
            reason = "服务器没有响应（地址或端口不对、服务器未启动，或网络不通）"
        else:
            log.warning("server %s refused: %s", server, detail)
            reason = "服务器拒绝了连接（详细原因已记入日志）"
        raise ServerConnectError(f"无法连接 {where}：{reason}。") from None


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _refuse_foreign_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise NotADatabaseError(f"无法读取“{path.name}”（没有读取权限，或文件正被其他程序占用）。") from None
    if header != b"SQLite format 3\x00":
        raise NotADatabaseError(f"文件“{path.name}”不是 SQLite 数据库文件，未作任何修改。")


def _text_encoder() -> Callable[[Any], str]:
    """JSON text as json.dumps(value, ensure_ascii=False) gives it, from one encoder made once: json.dumps makes
    a new one for each value, which took half of encoding a city's first roster's 26,000 history rows."""
    plain = json.JSONEncoder(ensure_ascii=False, check_circular=False)  # history values are never circular
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)  # the C part's, which typeshed does not name
    if c_make_encoder is None:  # a Python without the json module's C part
        return plain.encode
    chunks = c_make_encoder(None, plain.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return _Joined(chunks)


class _Joined:
    """The C encoder's chunks of a value joined. An object, not a closure: psycopg warns of a closure given as its
    JSON dumper (it may keep one adapter class per closure) and builds new adapters for it."""

    def __init__(self, chunks: Callable[[Any, int], Any]) -> None:
        self.chunks = chunks

    def __call__(self, value: Any) -> str:
        return "".join(self.chunks(value, 0))


# The change history's values as JSON with Chinese as itself (3 bytes a character, not a 6-character escape):
# a city's first roster writes 26,000 of them. Rows written escaped before read back the same.
_json_text = _text_encoder()


def _refuse_damaged_file(path: Path) -> None:
    """Run quick_check before any engine touches the file, so a damaged file is never written to."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = open_read_only(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
        problem = None if result == [("ok",)] else result[0][0]
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF not in _DAMAGED_CODES:
            # A healthy file SQLite cannot read here (a full disk, a read-only place, no permission): saying
            # "damaged" would send the clerk to restore a backup for nothing.
            log.warning("quick_check could not run on %s: %s", path, exc)
            raise DatabaseOpenError(_sqlite_reason(exc, path)) from None
        problem = str(exc)
    if problem is None:
        return
    log.error("quick_check failed for %s: %s", path, problem)
    from db.backups import list_backups

    good = list_backups(path, verified=True)
    latest = good[0] if good else None
    advice = (
        f"最近一份完好的备份是 {latest.created:%Y-%m-%d %H:%M} 的“{latest.path.name}”，可从备份恢复。"
        if latest
        else "未找到可用的备份，请联系技术人员。"
    )
    raise DamagedDatabaseError(
        f"数据库文件“{path.name}”已损坏（SQLite 完整性检查未通过），为免丢失数据，未打开也未作任何修改。{advice}",
        latest,
    )


# SQLite's primary result codes that mean the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGED_CODES = {11, 26}
_OTHER_REASONS = {  # SQLite's own refusals that are not the place's: SQLITE_BUSY, SQLITE_IOERR
    5: ("文件正被其他程序占用", "请关闭占用它的程序后重试"),
    10: ("读写磁盘时出错", "请检查磁盘或 U 盘是否已拔出，再重试"),
}


def _sqlite_reason(exc: sqlite3.Error, path: Path) -> str:
    place = open_refusal(exc, path)
    if place:
        return place
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    reason, advice = _OTHER_REASONS.get(code, ("SQLite 无法读取该文件", "详细原因已记入日志"))
    return f"无法打开数据库“{path.name}”：{reason}。文件本身未发现损坏，也未作任何修改；{advice}。"


def _install_sqlite_pragmas(engine: Engine, journal: str | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if journal:
            cur.execute(f"PRAGMA journal_mode={journal}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()
        # pysqlite's own transaction handling issues BEGIN only before DML, so a SAVEPOINT (one per
        # imported row) opened a transaction of its own and its RELEASE committed: an import killed
        # half-way left half its rows. SQLAlchemy's documented remedy: the driver stays out of it and
        # the engine emits BEGIN itself (below), so a session is one transaction, savepoints nested in it.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _driver(conn: Connection) -> Any:
    """The driver's own connection (sqlite3's), where a pragma is set outside SQLAlchemy's transaction."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def sync_id_sequences(conn: Connection) -> None:
    """After rows were written with their ids given (the demo, a copied database), move PostgreSQL's id
    sequences past them, so that the next record gets a new id. SQLite takes the next id from the rows."""
    if conn.dialect.name != "postgresql":
        return
    from db.models import Base

    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in alembic_version (read with plain SQL, so opening needs no Alembic)."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:  # sqlite3.DatabaseError: file is not a database, etc.
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise NotADatabaseError("数据库文件已损坏或不是数据库，未作任何修改。") from exc
        raise


def _start_signed_out_where_accounts_exist(db: Database) -> None:
    """With sign-in on, a caller that opens the file and does not sign in can read but not write."""
    from db.access import NOT_SIGNED_IN

    with db.engine.connect() as conn:
        if not inspect(conn).has_table("users"):
            return
        if conn.execute(text("SELECT 1 FROM users WHERE active LIMIT 1")).first() is not None:
            db.actor = NOT_SIGNED_IN


def _attach_vault_state(db: Database) -> None:
    """Sealed numbers: none is written in clear, and none is read whole, before someone signs in (db.vault). A
    database at an older revision (opened without upgrading) has no vault: its sessions do not look for one."""
    with db.engine.connect() as conn:
        present = inspect(conn).has_table("vault")
        sealed = present and conn.execute(text("SELECT 1 FROM vault")).first() is not None
    attach(db.engine.dialect, sealed=sealed, vault=None, has_vault=present)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _run_migrations(engine: Engine, to_revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch migrations rebuild tables; with foreign keys enforced that
            # would cascade or fail. The pragma is a no-op inside a transaction,
            # so it is set on the driver's connection, outside any transaction.
            _driver(conn).execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, to_revision)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(
                        f"数据库升级后发现 {len(broken)} 处外键不一致（如表 {broken[0][0]}），升级前的备份已保留。"
                    )
        except MigrationError:
            raise
        except Exception as exc:
            log.exception("the upgrade failed")
            raise MigrationError("数据库升级失败（详细原因已记入日志），升级前的备份已保留。") from exc
        finally:
            if sqlite:
                conn.rollback()
                _driver(conn).execute("PRAGMA foreign_keys=ON")
