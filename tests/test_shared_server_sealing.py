"""On a server several clerks share, an administrator turning sign-in on or off elsewhere is followed by every other
client at its next transaction: no number is written in clear into a database sealed meanwhile, and none is sealed
under a key that no longer opens it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import open_database
from db.errors import AccessDenied
from db.models import StaffMember
from desktop.accounts import sign_in_to, turn_off_sign_in
from desktop.records.editing import update_record
from desktop.records.types import STAFF
from tests.test_accounts import PASSWORD, accounts

pytestmark = pytest.mark.postgres_only


def _first(db) -> int:
    with db.session() as s:
        return s.scalars(select(StaffMember.id).order_by(StaffMember.id)).first()


def _stored_phone(db, person: int) -> str:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT phone FROM staff WHERE id = {person}").scalar()


def test_a_client_open_before_sign_in_was_turned_on_writes_no_number_in_clear(demo_db):
    other = open_database(demo_db.target)  # another clerk's app, open before
    try:
        person = _first(other)
        accounts(demo_db, ("老王", "admin"))  # the administrator turns sign-in on here
        with other.session() as s, pytest.raises(AccessDenied, match="加密保存"):
            update_record(s, STAFF, person, {"phone": "13912345678"}, user="另一台电脑")
            s.commit()
        assert _stored_phone(demo_db, person).startswith("$sm4$")
    finally:
        other.close()


def test_a_client_holding_the_key_when_sign_in_is_turned_off_writes_in_clear(demo_db):
    accounts(demo_db, ("老王", "admin"), ("小张", "editor"))
    other = open_database(demo_db.target)
    try:
        sign_in_to(other, "小张", PASSWORD)  # another clerk, signed in, holding the key
        person = _first(other)
        sign_in_to(demo_db, "老王", PASSWORD)
        with demo_db.session() as s:
            turn_off_sign_in(s)
            s.commit()
        with other.session() as s:  # its key no longer opens anything: the number is stored as it is
            update_record(s, STAFF, person, {"phone": "13912345678"}, user="小张")
            s.commit()
        assert _stored_phone(demo_db, person) == "13912345678"
    finally:
        other.close()
