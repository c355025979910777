"""A bureau's server as a clerk reaches it: a password asked for, never written; a server out of reach or
without the database said in one Chinese sentence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from db import open_database
from db.errors import ServerAuthError, ServerConnectError
from tests import postgres

pytestmark = pytest.mark.postgres_only


def test_a_server_that_wants_a_password_says_so_and_opens_with_it(db):
    without = postgres.clerk_url(db.target)
    with pytest.raises(ServerAuthError, match="密码不正确，或没有提供密码") as refused:
        open_database(without)
    assert refused.value.url.password is None and refused.value.url.username == postgres.CLERK
    with pytest.raises(ServerAuthError):
        open_database(postgres.clerk_url(db.target, password="wrong"))
    clerk = open_database(postgres.clerk_url(db.target, password=postgres.CLERK_PASSWORD))
    try:
        assert postgres.CLERK_PASSWORD not in clerk.display_name and "clerk@" in clerk.display_name
    finally:
        clerk.close()


def test_a_database_the_server_lacks_and_a_server_out_of_reach_are_one_sentence_each(db):
    from sqlalchemy.engine import make_url

    missing = make_url(db.target).set(database="没有这个库").render_as_string(hide_password=False)
    with pytest.raises(ServerConnectError, match="上没有数据库“没有这个库”：请管理员先建好"):
        open_database(missing)
    with pytest.raises(ServerConnectError, match="无法连接 127.0.0.1:1 上的数据库"):
        open_database("postgresql://someone@127.0.0.1:1/台账")


def test_the_command_line_never_takes_the_password_from_its_arguments_and_says_how_to_give_it(db):
    command = Path(sys.executable).parent / "countyhealth"
    url = postgres.clerk_url(db.target)
    done = subprocess.run([str(command), "info", "--db", url], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 2 and "PGPASSWORD" in done.stderr
    env = {"PGPASSWORD": postgres.CLERK_PASSWORD, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(command), "info", "--db", url], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
