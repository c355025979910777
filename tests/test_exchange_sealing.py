"""An exchange file leaves the office sealed for its receiver: no whole ID or phone number in its bytes, opened
only by the database whose key an administrator registered after a phone check."""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import zlib

import pytest
from sqlalchemy import select

from db.errors import AccessDenied
from db.models import Change, CountyProfile, Division, ExchangeReceiver, StaffMember
from desktop.accounts import sign_in_to
from desktop.exchange.container import MAGIC, MAGIC_CLEAR, ExchangeFileError, fingerprint, read_file, sign
from desktop.exchange.export import export_area
from desktop.exchange.identity import (
    KeyFileError,
    box_keys,
    read_key_file,
    register_receiver,
    signing_key,
    write_key_file,
)
from desktop.history import changes_between
from desktop.periods import Period
from tests.test_accounts import PASSWORD, accounts

PERIOD = Period(2026, 3)


def _area(db, code: str, name: str, kind: str) -> None:
    with db.session() as s:
        division = Division(code=code, name=name, kind=kind)
        s.add(division)
        s.flush()
        s.add(CountyProfile(id=1, division_id=division.id, bureau_name=f"{name}卫生健康局"))
        s.commit()


@pytest.fixture
def city_key(db, tmp_path):
    _area(db, "539900000000", "云川市", "city")
    with db.session() as s:
        path, printed = write_key_file(s, tmp_path / "云川市接收密钥")
        s.commit()
    assert path.suffix == ".chk" and printed == fingerprint(read_key_file(path).public_key)
    return path


def _numbers(db) -> tuple[set[str], set[str]]:
    with db.session() as s:
        rows = s.execute(select(StaffMember.id_number, StaffMember.phone)).all()
    return {r.id_number for r in rows}, {r.phone for r in rows if r.phone}


def _body(data: bytes) -> bytes:
    (head_len,) = struct.unpack_from(">I", data, len(MAGIC))
    at = len(MAGIC) + 4 + head_len
    (body_len,) = struct.unpack_from(">Q", data, at)
    return data[at + 8 : at + 8 + body_len]


def test_a_file_holds_no_whole_number_and_opens_only_where_it_was_sent(demo_db, db, city_key, tmp_path):
    with demo_db.session() as s:
        with pytest.raises(KeyFileError, match="还没有登记接收单位的密钥"):
            export_area(s, period=PERIOD, out=tmp_path / "未登记.chx", user="县局")
        register_receiver(s, city_key, user="县局", reason="已电话核对市局指纹")
        summary = export_area(s, period=PERIOD, out=tmp_path / "清溪县.chx", user="县局")
        s.commit()
    assert not (tmp_path / "未登记.chx").exists() and summary.receiver == "云川市"
    ids, phones = _numbers(demo_db)
    assert len(ids) > 2000 and len(phones) > 2000
    data = summary.path.read_bytes()
    assert data.startswith(MAGIC)
    body = _body(data)
    with pytest.raises(zlib.error):  # no compressed part to open: the records are ciphertext
        zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(body)
    for blob in (data, body):
        text = blob.decode("latin-1")
        assert not [n for n in ids if n in text] and not [p for p in phones if p in text]

    opened = _opened(db, summary.path)  # at the city: every number is there, whole
    staff = opened.body["tables"]["staff"]
    number = opened.body["columns"]["staff"].index("id_number")
    assert {row[number] for row in staff} == ids

    with demo_db.session() as s:  # the county that sent it cannot open it, nor can anyone else
        keys = box_keys(s)
    assert keys is not None
    with pytest.raises(ExchangeFileError, match="是报送给“云川市”的.*只有该单位的数据库能打开"):
        read_file(summary.path, keys)
    with pytest.raises(ExchangeFileError, match="本库还没有接收密钥"):
        read_file(summary.path, None)


def _opened(db, path):
    with db.session() as s:
        return read_file(path, box_keys(s))


def test_registering_a_receiver_needs_an_administrator_a_reason_and_a_new_key(db, demo_db, city_key, tmp_path):
    accounts(demo_db, ("老王", "admin"), ("小张", "editor"))
    sign_in_to(demo_db, "小张", PASSWORD)
    with demo_db.session() as s, pytest.raises(AccessDenied, match="小张.*无权登记接收单位的密钥"):
        register_receiver(s, city_key, user="小张", reason="已核对")
    sign_in_to(demo_db, "老王", PASSWORD)
    with demo_db.session() as s:
        with pytest.raises(KeyFileError, match="须写明原因"):
            register_receiver(s, city_key, user="老王", reason="  ")
        receiver, before = register_receiver(s, city_key, user="老王", reason="已电话核对市局指纹")
        s.commit()
        assert before is None
        with pytest.raises(KeyFileError, match="已登记"):
            register_receiver(s, city_key, user="老王", reason="再登记一次")
        own, _ = write_key_file(s, tmp_path / "本县")
        with pytest.raises(KeyFileError, match="本库自己的接收密钥"):
            register_receiver(s, own, user="老王", reason="误选")
    old = fingerprint(receiver.public_key)

    with db.session() as s:  # the city reinstalled: a new key, registered again after a phone check
        identity = signing_key(s)
        identity.box_private_key = None
        signing_key(s)
        renewed, _ = write_key_file(s, tmp_path / "云川市新密钥")
        s.commit()
    with demo_db.session() as s:
        receiver, before = register_receiver(s, renewed, user="老王", reason="市局重装软件，已电话核对新指纹")
        s.commit()
        new = fingerprint(receiver.public_key)
        assert before == old != new
        assert s.scalar(select(ExchangeReceiver.division_code)) == "539900000000"
        entries = [e for e in changes_between(s, None) if e.table == "接收单位"]
    assert [e.summary for e in entries][:1] == [f"接收密钥指纹：{old} → {new}"]
    assert entries[0].reason == "市局重装软件，已电话核对新指纹"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{}",
        b"not json",
        json.dumps(
            {"format": "countyhealth-receiver-key", "code": "5399", "name": "云川市", "public_key": "AAAA"}
        ).encode(),
    ],  # fmt: skip
)
def test_a_file_that_is_not_a_key_file_is_refused(tmp_path, content):
    path = tmp_path / "随便.chk"
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match="不是县域卫生健康台账的接收密钥文件"):
        read_key_file(path)


def test_a_file_of_the_first_format_still_arrives(demo_db, db, tmp_path):
    """A township still on an older version sends its records in clear: the file is already out, so it is read."""
    _area(db, "539900000000", "云川市", "city")
    with demo_db.session() as s:
        from desktop.exchange.export import ancestors, area_root, collect
        from desktop.exchange.tables import SPECS, columns

        root = area_root(s, None)
        tables = collect(s, root, own_area=True)
        header = {"sender": {"code": root.code, "name": root.name, "kind": root.kind},
                  "ancestors": ancestors(s, root), "period": str(PERIOD), "exported_at": "2026-10-08T09:00:00",
                  "exported_by": "县局", "counts": {t: len(r) for t, r in tables.items()}}  # fmt: skip
        body = {"columns": {spec.table: columns(spec) for spec in SPECS}, "tables": tables}
        key = signing_key(s).private_key
        s.commit()
    raw = json.dumps(body, ensure_ascii=False, default=str).encode()
    path = tmp_path / "旧版.chx"
    path.write_bytes(sign(header, gzip.compress(raw), hashlib.sha256(raw).hexdigest(), key, magic=MAGIC_CLEAR))
    received = _opened(db, path)
    assert received.header["counts"]["staff"] == len(received.body["tables"]["staff"]) > 2000
    with db.session() as s:
        assert not s.scalars(select(Change)).all()  # reading writes nothing


def test_the_command_line_exports_a_key_registers_it_and_lists_it(capsys, demo_db, db, tmp_path):
    from desktop.cli import main

    _area(db, "539900000000", "云川市", "city")
    assert main(["exchange", "receivers", "--db", str(demo_db.target)]) == 0
    assert "尚未登记接收单位" in capsys.readouterr().out
    assert main(["exchange", "key", "--db", str(db.target), "--out", str(tmp_path / "市局")]) == 0
    out = capsys.readouterr().out
    with db.session() as s:
        printed = fingerprint(box_keys(s).public)
    assert f"接收密钥指纹：{printed}" in out and str(tmp_path / "市局.chk") in out
    assert main(["exchange", "receiver", str(tmp_path / "市局.chk"), "--db", str(demo_db.target),
                 "--reason", "已电话核对"]) == 0  # fmt: skip
    assert f"已登记接收单位“云川市”（539900000000），接收密钥指纹 {printed}" in capsys.readouterr().out
    assert main(["exchange", "receivers", "--db", str(demo_db.target)]) == 0
    assert f"云川市\t539900000000\t接收密钥指纹 {printed}" in capsys.readouterr().out
    assert main(["exchange", "export", "--db", str(demo_db.target), "--period", "2026Q3", "--to", "539800000000",
                 "--out", str(tmp_path / "交换")]) == 2  # fmt: skip
    assert "没有登记区划代码为 539800000000 的接收单位" in capsys.readouterr().err


def test_a_city_with_sign_in_on_receives_a_county_and_finds_its_people_by_number(demo_db, db, city_key, tmp_path):
    """The lookup key is each database's own: the county's file carries none, and the city, whose numbers are
    sealed, makes its own for every person it receives."""
    from desktop.accounts import sign_in_to
    from desktop.exchange.approval import approve, confirm, receive_file

    accounts(db, ("市局", "admin"))
    sign_in_to(db, "市局", PASSWORD)
    with demo_db.session() as s:
        register_receiver(s, city_key, user="县局", reason="已电话核对")
        summary = export_area(s, period=PERIOD, out=tmp_path / "清溪县.chx", user="县局")
        numbers = s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all()
        s.commit()
    with db.session() as s:
        receive_file(s, summary.path, user="市局")
        confirm(s, "539921000000", user="市局", reason="已电话核对")
        approve(s, "539921000000", PERIOD, user="市局")
        s.commit()
    with db.session() as s:
        found = s.scalar(select(StaffMember.name).where(StaffMember.id_key == numbers[7]))
        stored = s.connection().exec_driver_sql("SELECT id_number, id_key FROM staff").all()
    assert found is not None
    assert all(n.startswith("$sm4$") and k.startswith("$k$") for n, k in stored) and len(stored) == len(numbers)
