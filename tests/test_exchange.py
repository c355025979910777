"""countyhealth exchange, as a county and the city above it use it: export, import, approve, lock, reopen."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select

from db import AccessDenied, open_database
from db.engine import sync_id_sequences
from db.models import (
    Change,
    CountyProfile,
    Division,
    ExchangeReceipt,
    ExchangeReceiver,
    Facility,
    Indicator,
    IndicatorValue,
    Plan,
    StaffMember,
)
from desktop.cli import main
from desktop.demo import DemoOptions, write_demo
from desktop.exchange.approval import approve, confirm, receive_file
from desktop.exchange.container import Recipient, fingerprint, read_file, read_header, sealed_for, sign, write_file
from desktop.exchange.export import export_area
from desktop.exchange.identity import box_keys, register_receiver, signing_key, write_key_file
from desktop.history import changes_between
from desktop.indicators import indicator_table
from desktop.periods import Period
from desktop.records.editing import update_record
from desktop.records.types import FACILITY
from tests import postgres

COUNTY = "539921000000"  # 清溪县, the demo county
CITY = "539900000000"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def county_file(capsys, demo_db, db, tmp_path):
    _send_to_city(capsys, demo_db, db, tmp_path)
    code, out, err = run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q3",
                         "--out", str(tmp_path / "清溪县-2026Q3"))  # fmt: skip
    assert code == 0, err
    assert "已导出清溪县2026年第三季度交换文件" in out and "只有“云川市”的数据库能打开" in out and "签名指纹" in out
    return tmp_path / "清溪县-2026Q3.chx"


def test_every_reference_an_exchanged_table_holds_travels_as_a_key():
    """An id written as it is would point at whatever has that id in the receiving database."""
    from desktop.exchange.tables import SPECS

    for spec in SPECS:
        for column in spec.model.__table__.columns:
            for fk in column.foreign_keys:
                assert spec.refs.get(column.name) == fk.column.table.name, (spec.table, column.name)


def findings(capsys, db) -> list[str]:
    """A quarter's findings as the command line gives them, each record named rather than numbered (ids are
    each database's own)."""
    code, out, err = run(capsys, "check", "--db", db.target, "--period", "2026Q3", "--json")
    assert code == 0, err
    found = json.loads(out)
    for f in found:
        f["where"].pop("id", None)
    return sorted(json.dumps(f, ensure_ascii=False, sort_keys=True) for f in found)


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _make_city(db) -> None:
    """The city's own database: its own area set, ready to receive its counties."""
    with db.session() as s:
        if s.get(CountyProfile, 1) is not None:
            return
        city = Division(code=CITY, name="云川市", kind="city")
        s.add(city)
        s.flush()
        s.add(CountyProfile(id=1, division_id=city.id, bureau_name="云川市卫生健康委员会"))
        s.commit()


def _send_to_city(capsys, county, city, folder: Path) -> None:
    """The county registers the city's receiving key, as its administrator does once, after the phone check."""
    _make_city(city)
    with city.session() as s:
        key, _ = write_key_file(s, folder / "云川市接收密钥")
        s.commit()
    code, out, err = run(capsys, "exchange", "receiver", str(key), "--db", county.target, "--reason", "已电话核对")
    assert code == 0 and "已登记接收单位“云川市”" in out, err


def _opened(city, path: Path):
    with city.session() as s:
        return read_file(path, box_keys(s))


def test_a_county_file_imported_approved_and_counted_by_the_city(capsys, demo_db, db, county_file):
    _make_city(db)
    code, out, _ = run(capsys, "exchange", "status", "--db", db.target, "--period", "2026Q3")
    assert code == 0 and "其下还没有地区" in out  # no county known yet: nothing to expect

    code, out, err = run(capsys, "exchange", "import", str(county_file), "--db", db.target, "--dry-run")
    assert code == 0, out + err
    assert "清溪县（539921000000）2026年第三季度交换文件" in out and "试导入：未写入数据库" in out
    staff = _count(demo_db, StaffMember)
    assert f"人员：新增 {staff}，修改 0，未变 0" in out and "首次收到该单位的文件，签名指纹" in out
    assert _count(db, StaffMember) == 0 and _count(db, ExchangeReceipt) == 0

    code, out, err = run(capsys, "exchange", "import", str(county_file), "--db", db.target)
    assert code == 0, out + err
    assert "已收下（待审核" in out and f"exchange confirm --from {COUNTY}" in out
    assert _count(db, StaffMember) == 0  # waiting: not yet in the city's figures

    # a first-time sender: its key is confirmed by an administrator, after a phone check, before approval
    printed = fingerprint(_opened(db, county_file).public_key)
    code, out, _ = run(capsys, "exchange", "status", "--db", db.target, "--period", "2026Q3")
    assert "清溪县\t待确认指纹" in out and printed in out and "待审核 0 个" in out and "待确认指纹 1 个" in out
    code, out, err = run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")
    assert code == 2 and f"签名指纹 {printed} 尚未确认" in err and "exchange confirm" in err
    assert _count(db, StaffMember) == 0
    code, _, err = run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY, "--reason", " ")
    assert code == 2 and "须写明原因" in err
    code, out, err = run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY,
                         "--reason", "已电话核对县局的指纹，一致")  # fmt: skip
    assert code == 0 and f"已确认“清溪县”（{COUNTY}）的签名指纹 {printed}" in out, err
    with db.session() as s:
        (entry,) = [e for e in changes_between(s, None) if e.reason == "已电话核对县局的指纹，一致"]
    assert (entry.table, entry.record) == ("报送单位", "清溪县")  # in the history, in the clerk's words
    assert entry.summary == f"签名指纹已确认：否 → 是；签名指纹：（空） → {printed}"
    code, out, _ = run(capsys, "exchange", "status", "--db", db.target, "--period", "2026Q3")
    assert "清溪县\t待审核" in out and "待审核 1 个" in out and "待确认" not in out

    code, out, err = run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")
    assert code == 0, err
    assert "已审核通过清溪县2026年第三季度数据并锁定" in out
    for model in (StaffMember, Facility):
        assert _count(db, model) == _count(demo_db, model)
    code, out, _ = run(capsys, "exchange", "status", "--db", db.target, "--period", "2026Q3")
    assert out.splitlines()[0].startswith("清溪县\t已审核") and "已审核 1 个" in out

    # The city's checks of the county are the county's own
    county, city = (findings(capsys, d) for d in (demo_db, db))
    assert len(county) > 100 and county == city


def test_a_file_with_any_one_byte_changed_is_refused(capsys, db, county_file):
    data = county_file.read_bytes()
    spots = sorted({0, 5, 9, 60, len(data) // 3, len(data) // 2, len(data) - 65, len(data) - 64, len(data) - 1}
                   | set(range(0, len(data), max(1, len(data) // 40))))  # fmt: skip
    bad = county_file.with_name("改过.chx")
    for at in spots:
        changed = bytearray(data)
        changed[at] ^= 0x01
        bad.write_bytes(bytes(changed))
        code, out, err = run(capsys, "exchange", "import", str(bad), "--db", db.target, "--dry-run")
        assert code == 1, (at, out)
        assert "未导入任何记录" in err or "不是县域卫生健康台账的交换文件" in err, (at, err)
    assert _count(db, ExchangeReceipt) == 0 and _count(db, Division) == 1  # the city itself


def test_an_approved_period_is_locked_and_reopening_needs_a_reason(capsys, demo_db, db, county_file):
    assert run(capsys, "exchange", "import", str(county_file), "--db", db.target)[0] == 0
    assert run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY, "--reason", "已电话核对")[0] == 0
    assert run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")[0] == 0
    with db.session() as s:
        hospital = s.scalars(select(Facility).where(Facility.kind == "county_hospital")).first()
        with pytest.raises(AccessDenied, match="审核锁定"):
            update_record(s, FACILITY, hospital.id, {"open_beds": hospital.open_beds + 1}, user="市局科员")
    # the same period again is refused while approved
    code, out, _ = run(capsys, "exchange", "import", str(county_file), "--db", db.target)
    assert code == 2 and "已于" in out and "审核并锁定" in out and "未导入任何记录" in out

    code, _, err = run(capsys, "exchange", "reopen", "--db", db.target, "--from", COUNTY, "--period", "2026Q3",
                       "--reason", "  ")  # fmt: skip
    assert code == 2 and "须写明原因" in err
    code, out, _ = run(capsys, "exchange", "reopen", "--db", db.target, "--from", COUNTY, "--period", "2026Q3",
                       "--reason", "县医院床位数填报有误，退回更正")  # fmt: skip
    assert code == 0 and "已重新打开" in out
    with db.session() as s:
        kept = s.scalars(select(Change.reason).where(Change.table_name == "exchange_receipts")).all()
        assert "县医院床位数填报有误，退回更正" in kept
        update_record(s, FACILITY, hospital.id, {"open_beds": hospital.open_beds + 1}, user="市局科员")  # unlocked
        s.commit()


def test_the_next_file_changes_exactly_what_the_county_changed(capsys, demo_db, db, county_file, tmp_path):
    assert run(capsys, "exchange", "import", str(county_file), "--db", db.target)[0] == 0
    assert run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY, "--reason", "已电话核对")[0] == 0
    assert run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")[0] == 0
    with demo_db.session() as s:  # the county, during the fourth quarter
        hospital = s.scalars(select(Facility).where(Facility.kind == "county_hospital")).first()
        beds = hospital.open_beds + 12
        update_record(s, FACILITY, hospital.id, {"open_beds": beds}, user="县局科员")
        s.commit()
    q4 = tmp_path / "清溪县-2026Q4.chx"
    assert run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q4", "--out", str(q4))[0] == 0
    code, out, _ = run(capsys, "exchange", "import", str(q4), "--db", db.target, "--dry-run")
    assert code == 0 and "机构：新增 0，修改 1，未变" in out and "人员：新增 0，修改 0，未变" in out
    assert f"机构“{hospital.name}”：实有床位：{beds - 12} → {beds}" in out  # what changed, in the field's words
    assert run(capsys, "exchange", "import", str(q4), "--db", db.target)[0] == 0
    assert run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q4")[0] == 0
    with db.session() as s:
        mine = s.scalars(select(Facility).where(Facility.name == hospital.name)).one()
        assert mine.open_beds == beds and mine.version == 2
        reasons = s.scalars(select(Change.reason).where(Change.table_name == "facilities", Change.row_id == mine.id))
        assert "交换文件：清溪县2026年第四季度" in list(reasons)


def test_an_older_file_does_not_replace_a_newer_one_waiting(capsys, demo_db, db, tmp_path):
    """The county corrected its hospital's beds and sent the quarter again; the uncorrected file, sent first,
    arrived last. It is refused, naming both export times, and approval merges the corrected beds."""
    _send_to_city(capsys, demo_db, db, tmp_path)
    with demo_db.session() as s:
        hospital = s.scalars(select(Facility).where(Facility.kind == "county_hospital")).first()
        name, beds = hospital.name, hospital.open_beds
    paths = {}
    for label, open_beds in (("旧", beds), ("新", beds + 7)):
        with demo_db.session() as s:  # a correction of the quarter: from its last day, as the form proposes
            update_record(s, FACILITY, hospital.id, {"open_beds": open_beds}, user="县局科员",
                          effective_on=dt.date(2026, 9, 30))  # fmt: skip
            s.commit()
        code, _, err = run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q3",
                           "--out", str(tmp_path / f"{label}.chx"))  # fmt: skip
        assert code == 0, err
        paths[label] = tmp_path / f"{label}.chx"
    assert run(capsys, "exchange", "import", str(paths["新"]), "--db", db.target)[0] == 0

    code, out, _ = run(capsys, "exchange", "import", str(paths["旧"]), "--db", db.target)
    assert code == 2 and "早于本库已收到的“清溪县”2026年第三季度文件“新.chx”" in out and "未导入任何记录" in out
    old_at, new_at = (dt.datetime.fromisoformat(read_header(p)["exported_at"]) for p in paths.values())
    shown = "%Y-%m-%d %H:%M:%S" if f"{old_at:%H:%M:%S}" != f"{new_at:%H:%M:%S}" else "%Y-%m-%d %H:%M:%S.%f"
    assert all(t.strftime(shown)[:23] in out for t in (old_at, new_at))  # both times, told apart
    with db.session() as s:
        waiting = s.scalars(select(ExchangeReceipt).where(ExchangeReceipt.status == "received")).one()
        assert waiting.file_name == "新.chx"

    assert run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY, "--reason", "已电话核对")[0] == 0
    assert run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")[0] == 0
    with db.session() as s:
        assert s.scalars(select(Facility.open_beds).where(Facility.name == name)).one() == beds + 7


def test_a_file_under_a_known_name_but_another_key_is_refused(capsys, demo_db, db, county_file, tmp_path):
    assert run(capsys, "exchange", "import", str(county_file), "--db", db.target)[0] == 0
    with demo_db.session() as s:  # the county's database re-installed: a new signing key
        from db.models import ExchangeIdentity

        s.delete(s.get(ExchangeIdentity, 1))
        s.commit()
    other = tmp_path / "另一把钥匙.chx"
    assert run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q3", "--out", str(other))[0] == 0
    code, out, _ = run(capsys, "exchange", "import", str(other), "--db", db.target)
    assert code == 2 and "签名密钥" in out and "指纹" in out and "未导入任何记录" in out
    # checked by phone: the administrator accepts the new key, with a reason the history keeps
    code, _, err = run(capsys, "exchange", "rekey", str(other), "--db", db.target, "--reason", " ")
    assert code == 2 and "须写明原因" in err
    code, out, _ = run(
        capsys, "exchange", "rekey", str(other), "--db", db.target, "--reason", "已电话核实，县局重装了软件"
    )
    assert code == 0 and "已改认新密钥" in out
    with db.session() as s:
        assert "已电话核实，县局重装了软件" in s.scalars(select(Change.reason)).all()
    assert run(capsys, "exchange", "import", str(other), "--db", db.target)[0] == 0
    # the phone check of the new key confirmed it: the file it signed can be approved
    code, out, err = run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")
    assert code == 0 and "已审核通过清溪县" in out, err


def _add_to_another_county(db, **person) -> None:
    """A person working in the hospital of 石屏县, a county of the city other than the sender."""
    with db.session() as s:
        city = s.scalar(select(Division).where(Division.code == CITY))
        other = Division(code="539922000000", name="石屏县", kind="county", parent_id=city.id)
        s.add(other)
        s.flush()
        hospital = Facility(name="石屏县人民医院", kind="county_hospital", division_id=other.id)
        s.add(hospital)
        s.flush()
        s.add(StaffMember(**person, facility_id=hospital.id, category="physician", employment_form="contract"))
        s.commit()


def test_a_person_another_area_already_holds_is_a_problem_and_nothing_is_written(capsys, demo_db, db, county_file):
    _make_city(db)
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember)).first()
    # the city already has this person, in another county's hospital
    _add_to_another_county(db, name=person.name, sex=person.sex, id_number=person.id_number,
                           birth_date=person.birth_date)  # fmt: skip
    code, out, _ = run(capsys, "exchange", "import", str(county_file), "--db", db.target)
    assert code == 2
    assert f"人员“{person.name}（{person.id_number[:6]}********{person.id_number[-4:]}）”" in out
    assert "在本库中是“石屏县人民医院”的人员" in out and "未导入任何记录" in out
    assert _count(db, ExchangeReceipt) == 0 and _count(db, StaffMember) == 1


def _resigned(city, path: Path, out: Path, *, sender: dict | None = None, change=None) -> Path:
    """A file's records under a header of one's own, signed with a fresh key and sealed for the city: what anyone
    with the app and the city's public key can make."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    received = _opened(city, path)
    kept = {k: v for k, v in received.header.items() if k in ("sender", "ancestors", "period", "exported_at",
                                                               "exported_by", "app_version", "counts")}  # fmt: skip
    kept["sender"] = sender or kept["sender"]
    if change is not None:
        change(received.body["tables"])
    write_file(out, kept, received.body, Ed25519PrivateKey.generate().private_bytes_raw(), _city(city))
    return out


def _city(city) -> Recipient:
    with city.session() as s:
        return Recipient(CITY, "云川市", box_keys(s).public)


def test_a_made_up_sender_carrying_another_countys_records_is_refused_per_record(capsys, db, county_file, tmp_path):
    """A county the city has never seen, with a fresh key, carrying 清溪县's records: every record is named as
    lying outside the sender's area, and nothing is written."""
    from desktop.exchange.tables import SPECS

    _make_city(db)
    made_up = {"code": "539929000000", "name": "虚构县", "kind": "county"}
    own = ["539929000000", "虚构县", "county", CITY, False]
    forged = _resigned(
        db, county_file, tmp_path / "虚构.chx", sender=made_up, change=lambda t: t["divisions"].append(own)
    )
    code, out, _ = run(capsys, "exchange", "import", str(forged), "--db", db.target)
    assert code == 2 and "未导入任何记录" in out
    tables = _opened(db, county_file).body["tables"]
    carried = sum(len(tables[s.table]) for s in SPECS if s.entity)  # detail rows lie with their owners
    outside = [line for line in out.splitlines() if "不在报送单位“虚构县”（539929000000）的辖区内" in line]
    assert len(outside) == carried and f"发现 {carried} 处问题" in out
    assert "行政区划“清溪县”：所在地区（区划代码 539921000000）" in out
    assert _count(db, ExchangeReceipt) == 0 and _count(db, Facility) == 0 and _count(db, StaffMember) == 0


def test_a_sender_this_database_places_elsewhere_is_outside_whatever_its_header_says(capsys, db, county_file, tmp_path):
    _make_city(db)
    with db.session() as s:  # the city knows its neighbour's county, under the neighbouring city
        neighbour = Division(code="539800000000", name="邻市", kind="city")
        s.add(neighbour)
        s.flush()
        s.add(Division(code="539821000000", name="邻县", kind="county", parent_id=neighbour.id))
        s.commit()
    sender = {"code": "539821000000", "name": "邻县", "kind": "county"}  # its header names 云川市 as its parent
    sent = _resigned(db, county_file, tmp_path / "邻县.chx", sender=sender)
    code, out, _ = run(capsys, "exchange", "import", str(sent), "--db", db.target, "--dry-run")
    assert code == 2 and "报送单位“邻县”（539821000000）不在本库所辖的“云川市”范围内" in out


def test_a_training_of_a_person_the_file_does_not_carry_is_a_problem(capsys, db, county_file, tmp_path):
    """A detail row follows its owner: a file that carries a training of a person of another county would
    replace that person's trainings here."""
    _make_city(db)
    _add_to_another_county(db, name="李四", sex="F", id_number="53252419900101002X", birth_date=dt.date(1990, 1, 1))
    extra = ["53252419900101002X", "on_post", "2026-07-01", "2026-07-05", 5, "云川市", True]
    sent = _resigned(db, county_file, tmp_path / "清溪县.chx", change=lambda t: t["trainings"].append(extra))
    code, out, _ = run(capsys, "exchange", "import", str(sent), "--db", db.target)
    assert code == 2 and "培训“532524********002X”：所属的人员不在此文件中" in out and "未导入任何记录" in out
    assert _count(db, ExchangeReceipt) == 0


def test_senders_already_approved_before_the_upgrade_count_as_confirmed(tmp_path):
    """0009: a sender whose file an administrator approved was accepted by that approval; one whose first file
    only waits must still be confirmed."""
    path = tmp_path / "0008.db"
    old = open_database(path, to_revision="0008")
    with old.engine.begin() as conn:
        for i, (code, status) in enumerate((("539921000000", "approved"), ("539922000000", "received")), 1):
            conn.exec_driver_sql(
                "INSERT INTO exchange_senders (id, division_code, name, public_key, first_seen, registered_by)"
                f" VALUES ({i}, '{code}', '县{i}', x'{'00' * 32}', '2026-10-08 09:00:00', '市局')"
            )
            conn.exec_driver_sql(
                "INSERT INTO exchange_receipts (division_code, sender_name, period, file_name, file_sha256,"
                " exported_at, exported_by, received_at, received_by, rows, body, status) VALUES"
                f" ('{code}', '县{i}', '2026Q3', 'f.chx', '{'0' * 64}', '2026-10-08 08:00:00', '县局',"
                f" '2026-10-08 09:00:00', '市局', 0, x'00', '{status}')"
            )
    old.close()
    upgraded = open_database(path)
    try:
        with upgraded.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT division_code, confirmed_by FROM exchange_senders ORDER BY division_code"
            ).all()
        assert rows == [("539921000000", "市局"), ("539922000000", None)]
    finally:
        upgraded.close()


def _fresh(tmp_path, name: str):
    """A new empty database: a file, or with make test-postgres a database on the server."""
    server = postgres.server_url()
    target = postgres.create_database(server) if server else tmp_path / f"{name}.db"
    return target, open_database(target)


def _indicators(db) -> list[tuple]:
    with db.session() as s:
        return [(r.code, r.value, r.verdict, r.computed) for r in indicator_table(s, 2026, today=dt.date(2026, 11, 23))]


def test_a_city_made_from_its_county_files_checks_as_the_city_demo(capsys, tmp_path):
    """Each county of a city demo of three counties gets its own database (made from its records), sends its own
    file, and the city, which keeps only its own plan, receives and approves the three: the city's findings and
    indicators are the city demo's."""
    opened = []
    try:
        _, whole = _fresh(tmp_path, "whole-city")
        opened.append(whole)
        write_demo(whole, DemoOptions(scale="city", city_size=3))
        with whole.session() as s:
            city = s.scalar(select(Division).where(Division.kind == "city"))
            counties = s.execute(select(Division.code, Division.name).where(Division.parent_id == city.id)).all()
        assert len(counties) == 3
        _, own = _fresh(tmp_path, "city")  # the city's own database: its area and its plan
        opened.append(own)
        with whole.engine.connect() as read, own.engine.begin() as write:
            write.execute(insert(Division), [{"code": city.code, "name": city.name, "kind": "city"}])
            write.execute(delete(Plan))  # the plan shipped with every database, replaced by the city's own
            for model in (Plan, Indicator, IndicatorValue):
                write.execute(insert(model), [dict(r._mapping) for r in read.execute(select(model.__table__))])
            sync_id_sequences(write)
        with own.session() as s:
            s.add(CountyProfile(id=1, division_id=s.scalar(select(Division.id)), bureau_name="云川市卫生健康委员会"))
            s.commit()
        period = Period.parse("2026Q3")
        with own.session() as s:
            city_key, _ = write_key_file(s, tmp_path / "市局接收密钥")
            s.commit()
        for code, name in counties:
            _, county = _fresh(tmp_path, code)
            opened.append(county)
            with county.session() as s:  # the county's records, sealed for the county's own database
                county_key = signing_key(s).box_public_key
                s.commit()
            with whole.session() as s:
                s.add(ExchangeReceiver(division_code=code, name=name, public_key=county_key,
                                       registered_at=dt.datetime.now(), registered_by="拆分"))  # fmt: skip
                records = export_area(s, period=period, out=tmp_path / f"{code}-split.chx", user="拆分",
                                      area_code=code, to=code).path  # fmt: skip
                s.commit()
            with county.session() as s:
                receive_file(s, records, user="县局")
                confirm(s, code, user="县局", reason="拆分自全市演示数据")
                approve(s, code, period, user="县局")
                s.add(CountyProfile(id=1, division_id=s.scalar(select(Division.id).where(Division.code == code)),
                                    bureau_name=f"{name}卫生健康局"))  # fmt: skip
                register_receiver(s, city_key, user="县局", reason="已电话核对市局的接收密钥指纹")
                s.commit()
            with county.session() as s:  # the county sends its quarter up
                sent = export_area(s, period=period, out=tmp_path / f"{code}.chx", user="县局").path
                s.commit()
            with own.session() as s:
                plan, receipt = receive_file(s, sent, user="市局")
                assert not plan.problems and receipt is not None
                confirm(s, code, user="市局", reason="已电话核对指纹")
                approve(s, code, period, user="市局")
                s.commit()
        code, out, _ = run(capsys, "exchange", "status", "--db", own.target, "--period", "2026Q3")
        assert "已审核 3 个；待审核 0 个；未报送 0 个" in out
        whole_findings, city_findings = findings(capsys, whole), findings(capsys, own)
        assert len(whole_findings) > 300 and city_findings == whole_findings
        assert _indicators(own) == _indicators(whole)
    finally:
        for db in opened:
            target = db.target
            db.close()
            if postgres.server_url():
                postgres.drop_database(postgres.server_url(), target)


def test_text_an_older_sender_stored_arrives_cleaned_and_its_references_still_match(capsys, demo_db, db, tmp_path):
    """A county on an older version may send names with control or direction characters: the city keeps them
    as the text rules allow, and what refers to them (a person's workplace) still finds them."""
    from sqlalchemy import update

    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).order_by(StaffMember.id)).first()
        number, facility_id = person.id_number, person.facility_id
        facility_name = s.get(Facility, facility_id).name
    control = "\x00" if demo_db.is_sqlite else "\x01"  # PostgreSQL's text cannot hold NUL at all
    with demo_db.engine.begin() as conn:
        conn.execute(update(Facility).where(Facility.id == facility_id).values(name=facility_name + "\u202e\x01"))
        conn.execute(update(StaffMember).where(StaffMember.id_number == number).values(name=f"张{control}三"))
    _send_to_city(capsys, demo_db, db, tmp_path)
    code, _out, err = run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q3",
                          "--out", str(tmp_path / "清溪县-2026Q3"))  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "exchange", "import", str(tmp_path / "清溪县-2026Q3.chx"), "--db", db.target)
    assert code == 0, out + err
    assert run(capsys, "exchange", "confirm", "--db", db.target, "--from", COUNTY, "--reason", "已电话核对")[0] == 0
    code, out, err = run(capsys, "exchange", "approve", "--db", db.target, "--from", COUNTY, "--period", "2026Q3")
    assert code == 0, out + err
    with db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.id_number == number)).one()
        assert person.name == "张三" and s.get(Facility, person.facility_id).name == facility_name


# --- hostile files: refused quickly, in bounded memory ---------------------------------------------------

_REFUSE = """
import json, sys
from desktop.cli import main
from tests.benchmarks.harness import peak_mb
code = main(sys.argv[1:])
print(json.dumps({"code": code, "peak_mb": peak_mb()}))
"""


def _sealed_and_signed(path: Path, city: Recipient, packed: bytes, checksum: str) -> Path:
    """Records sealed for the city and signed by a sender nobody has seen (its own fresh key)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    header = {"sender": {"code": "539929000000", "name": "虚构县", "kind": "county"},
              "ancestors": [{"code": CITY, "name": "云川市", "kind": "city"}], "period": "2026Q3",
              "exported_at": "2026-10-08T09:00:00", "exported_by": "某人", "counts": {}}  # fmt: skip
    header, sealed = sealed_for(city, header, packed)
    path.write_bytes(sign(header, sealed, checksum, Ed25519PrivateKey.generate().private_bytes_raw()))
    return path


def _gzip_bomb(path: Path, city: Recipient) -> Path:
    """1.2 MB that unpacks to 1 GiB, validly signed by a sender nobody has seen (its own fresh key) with the
    records' true checksum: only the bound on unpacking can refuse it."""
    zeros, checksum = bytes(1 << 20), hashlib.sha256()
    deflate = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = []
    for _ in range(1024):
        parts.append(deflate.compress(zeros))
        checksum.update(zeros)
    packed = b"".join(parts) + deflate.flush()
    return _sealed_and_signed(path, city, packed, checksum.hexdigest())


def _json_bomb(path: Path, city: Recipient) -> Path:
    """23 KB, signed, whose 24 MB of records are eight million empty lists: within the unpacking bound, yet
    json.loads would make a Python object of each (698 MB for the same measured by hand)."""
    raw = b'{"tables":[' + b"[]," * 8_000_000 + b'[]],"columns":{}}'
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    return _sealed_and_signed(path, city, packed, hashlib.sha256(raw).hexdigest())


def _sparse_junk(path: Path, _city: Recipient) -> Path:
    """3 GiB of nothing, costing no disk: a file the size of a film, renamed .chx."""
    with path.open("wb") as f:
        f.truncate(3 << 30)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, city: _gzip_bomb(p / "炸弹.chx", city), "压缩炸弹"),
        (lambda p, city: _sparse_junk(p / "垃圾.chx", city), "超过交换文件的上限"),
        (lambda p, city: _json_bomb(p / "空列表.chx", city), "读取需要的内存超过上限"),
    ],
    ids=["gzip-bomb", "3-GiB-junk", "json-bomb"],
)
def test_hostile_exchange_files_are_refused_quickly_in_little_memory(tmp_path, make, message):
    """Refused in a child process of its own, so that its peak resident memory is the refusal's alone."""
    city = open_database(tmp_path / "city.db")
    _make_city(city)
    with city.session() as s:
        keys = signing_key(s)
        receiver = Recipient(CITY, "云川市", keys.box_public_key)
        s.commit()
    city.close()
    path = make(tmp_path, receiver)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _REFUSE, "exchange", "import", str(path), "--db", str(tmp_path / "city.db")],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    seconds = time.perf_counter() - started
    assert message in done.stderr and "未" in done.stderr, done.stderr
    measured = json.loads(done.stdout.splitlines()[-1])
    print(f"{path.name}: refused in {seconds:.1f} s, peak {measured['peak_mb']:.0f} MB")
    assert measured["code"] == 1
    assert seconds < 30 and measured["peak_mb"] < 600, (seconds, measured)


def test_a_quarter_approved_after_it_ended_counts_in_that_quarter(capsys, demo_db, db, county_file, tmp_path):
    """The county corrects its hospital's beds from 1 August, adds more from today, and sends the third quarter
    again in December: the file carries the quarter as it ended, and the city, approving it then, counts the beds
    in its third quarter as the county does, not from the day it approved."""
    from desktop.figures import headline_figures

    def beds(database) -> int:
        with database.session() as s:
            return headline_figures(s, Period(2026, 3), today=dt.date(2026, 12, 3), subsidies=False,
                                    findings=False).open_beds  # fmt: skip

    for step in (("import", str(county_file)), ("confirm", "--from", COUNTY, "--reason", "已电话核对"),
                 ("approve", "--from", COUNTY, "--period", "2026Q3")):  # fmt: skip
        assert run(capsys, "exchange", step[0], *step[1:], "--db", db.target)[0] == 0
    assert beds(db) == beds(demo_db)
    code, _, err = run(capsys, "exchange", "reopen", "--db", db.target, "--from", COUNTY, "--period", "2026Q3",
                       "--reason", "县医院床位自8月起调整，退回更正")  # fmt: skip
    assert code == 0, err
    with demo_db.session() as s:
        hospital = s.scalars(select(Facility).where(Facility.kind == "county_hospital")).first()
        update_record(s, FACILITY, hospital.id, {"open_beds": hospital.open_beds + 10}, user="县局科员",
                      effective_on=dt.date(2026, 8, 1))  # fmt: skip
        s.commit()
    with demo_db.session() as s:  # and five more from today: the fourth quarter's, not in the third's file
        update_record(s, FACILITY, hospital.id, {"open_beds": hospital.open_beds + 15}, user="县局科员")
        s.commit()
    again = tmp_path / "清溪县-2026Q3-更正.chx"
    assert run(capsys, "exchange", "export", "--db", demo_db.target, "--period", "2026Q3", "--out", str(again))[0] == 0
    for step in (("import", str(again)), ("approve", "--from", COUNTY, "--period", "2026Q3")):
        code, out, err = run(capsys, "exchange", step[0], *step[1:], "--db", db.target)
        assert code == 0, out + err
    assert beds(db) == beds(demo_db)


def _rewritten(city, path: Path, out: Path, change) -> Path:
    """The file's header and records, ``change``d in place (columns and rows alike), signed and sealed anew."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    received = _opened(city, path)
    change(received.body)
    write_file(out, received.header, received.body, Ed25519PrivateKey.generate().private_bytes_raw(), _city(city))
    return out


def test_a_file_from_before_a_new_field_arrives_and_one_with_a_field_unknown_here_is_refused(
    capsys, db, county_file, tmp_path
):
    """A county on the version before 责任人 was added sends its ledger without that column: the city, already
    upgraded, takes its tasks with no 责任人, as they were. A column the city's version does not know is refused."""
    _make_city(db)

    def without_responsible(body) -> None:
        at = body["columns"]["key_tasks"].index("responsible_person")
        del body["columns"]["key_tasks"][at]
        for row in body["tables"]["key_tasks"]:
            del row[at]

    older = _rewritten(db, county_file, tmp_path / "旧版.chx", without_responsible)
    code, out, err = run(capsys, "exchange", "import", str(older), "--db", db.target)
    assert code == 0 and "已收下（待审核" in out, out + err
    tasks = len(_opened(db, older).body["tables"]["key_tasks"])
    assert f"重点任务：新增 {tasks}" in out

    def with_a_future_column(body) -> None:
        body["columns"]["key_tasks"].append("future_field")
        for row in body["tables"]["key_tasks"]:
            row.append("x")

    newer = _rewritten(db, county_file, tmp_path / "新版.chx", with_a_future_column)
    code, out, err = run(capsys, "exchange", "import", str(newer), "--db", db.target, "--dry-run")
    assert code == 2 and "“重点任务”的栏目与本软件不一致" in out + err
