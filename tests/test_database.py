"""open_database(): pragmas, migrations that match the models, upgrades that keep every row."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from db import NotADatabaseError, SchemaTooNewError, open_database
from db.backups import backup_folder
from db.engine import head_revision
from db.models import Base, Change


def test_a_new_file_is_created_at_the_head_revision_with_the_pragmas(tmp_path):
    db = open_database(tmp_path / "new.db")
    with db.engine.connect() as conn:
        pragmas = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
        }
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    db.close()
    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 10000}
    assert revision == head_revision()
    assert db.backup_before_upgrade is None


def test_the_head_constant_agrees_with_the_scripts():
    from db.migrations import HEAD

    assert HEAD == head_revision()


def test_models_and_migrations_agree(db):
    """The equivalent of `alembic check`: autogenerate finds nothing to change."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_every_model_table_exists(db):
    with db.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= names


def _write_at_first_revision(path):
    db = open_database(path, to_revision="0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO divisions (id, code, name, kind, remote) VALUES (1, '539921000000', '清溪县', 'county', 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO facilities (id, name, kind, division_id, approved_beds, open_beds, tcm_beds)"
            " VALUES (1, '清溪县人民医院', 'county_hospital', 1, 900, 860, 40)"
        )
        conn.exec_driver_sql(
            "INSERT INTO staff (id, name, sex, id_number, birth_date, facility_id, category, employment_form)"
            " VALUES (1, '李华', 'F', '11010519491231002X', '1949-12-31', 1, 'physician', 'establishment')"
        )
    db.close()


def test_opening_an_older_database_upgrades_it_keeps_rows_and_leaves_a_copy(tmp_path):
    path = tmp_path / "old.db"
    _write_at_first_revision(path)
    db = open_database(path)
    assert db.revision_before == "0001"
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        assert conn.exec_driver_sql("SELECT name, open_beds FROM facilities").all() == [("清溪县人民医院", 860)]
        assert conn.exec_driver_sql("SELECT id_number FROM staff").scalar() == "11010519491231002X"
        # the column the second migration added, with its default
        assert conn.exec_driver_sql("SELECT provides_tcm FROM facilities").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()
    copy = db.backup_before_upgrade
    assert copy is not None and copy.exists() and copy.parent == backup_folder(path)
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT count(*) FROM staff").fetchone() == (1,)
        assert old.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_batch_migration_keeps_child_rows(tmp_path):
    """0002 rebuilds the facilities table; staff rows that point at it must survive, not cascade."""
    path = tmp_path / "old.db"
    _write_at_first_revision(path)
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM staff").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    db.close()


def test_a_schema_newer_than_the_app_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="比本软件新"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这是一份会议纪要，不是数据库。", encoding="utf-8")
    with pytest.raises(NotADatabaseError, match="不是 SQLite 数据库"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "这是一份会议纪要，不是数据库。"


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotADatabaseError, match="不是县域卫生健康台账的数据库"):
        open_database(path)


def test_network_paths_are_recognised():
    from pathlib import Path

    from db.engine import is_network_path

    assert is_network_path(Path("//fileserver/share/county.db"))
    assert not is_network_path(Path("/tmp/county.db"))


def test_opening_twice_is_idempotent(tmp_path):
    path = tmp_path / "c.db"
    open_database(path).close()
    again = open_database(path)
    assert again.revision_before == head_revision()
    assert again.backup_before_upgrade is None
    again.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == []


def test_sessions_are_independent(db):
    from db.models import Division

    with db.session() as s:
        s.add(Division(code="539921000000", name="清溪县", kind="county"))
        s.commit()
    with db.session() as s:
        assert s.query(Division).one().name == "清溪县"


def test_dates_round_trip(db):
    from db.models import Division, Facility, StaffMember

    with db.session() as s:
        d = Division(code="539921000000", name="清溪县", kind="county")
        f = Facility(name="清溪县人民医院", kind="county_hospital", division=d)
        s.add(
            StaffMember(
                name="李华",
                sex="F",
                id_number="11010519491231002X",
                birth_date=dt.date(1949, 12, 31),
                facility=f,
                category="physician",
                employment_form="establishment",
            )
        )
        s.commit()
    with db.session() as s:
        assert s.query(StaffMember).one().birth_date == dt.date(1949, 12, 31)


@contextmanager
def _old_schema(db):
    """The models write to a database at an older revision: a column added since is left out of their INSERTs
    (as the ORM leaves out one the server fills, and reads none back), so a test of an old migration survives
    every new column."""
    from sqlalchemy import FetchedValue, inspect

    from db.models.base import Base

    inspector = inspect(db.engine)
    patched = []
    for table in Base.metadata.tables.values():
        if not inspector.has_table(table.name):
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.server_default is None:
                patched.append((column, column.default))
                column.server_default, column.default = FetchedValue(), None
    eager = {mapper: mapper.eager_defaults for mapper in Base.registry.mappers}
    for mapper in eager:
        mapper.eager_defaults = False
        mapper._reset_memoizations()  # a mapper remembers which columns the server fills
    try:
        yield
    finally:
        for column, default in patched:
            column.server_default, column.default = None, default
        for mapper, value in eager.items():
            mapper.eager_defaults = value
            mapper._reset_memoizations()


def test_the_upgrade_cleans_text_stored_before_the_text_rules(tmp_path):
    """Names an older version stored with control, direction or zero-width characters are cleaned by 0008;
    long free text keeps its line breaks; a value that would then equal another's under a UNIQUE stays."""
    from db.models import Division, Facility, KeyTask, StaffLoan, StaffMember, TaskUpdate
    from tests.factories import World

    path = tmp_path / "old.db"
    db = open_database(path, to_revision="0007")
    with db.session() as s, _old_schema(db):
        w = World(s)
        w.township.name = "桃源\u200b镇"
        clinic = w.add_facility("新村\x01卫生室\u202e", "village_clinic", address="村口_x0001_1号")
        invisible = w.add_facility("\u200b", "village_clinic")  # blank once cleaned: a CHECK would refuse it
        person = w.add_person(clinic, status_reason="退休\r\n见文件\x07")
        person.name = "张\x00三\x1b"
        w.add_loan(person, dt.date(2026, 1, 1), None).reason = "支援\u2066乡镇\u2069"
        task = w.add_task(None, content="一、摸底\r\n二、\t推进\x0b", updates=[(dt.date(2026, 9, 30), "in_progress")])
        s.add(TaskUpdate(task_id=task.id, date=dt.date(2026, 10, 31), status="in_progress", note="完成\u200b\n下步"))
        clean_twin = KeyTask(ledger="台账", number="（一）", title="甲", lead_unit="局", status="in_progress")
        dirty_twin = KeyTask(ledger="台账", number="（一）\u200b", title="乙\x01", lead_unit="局", status="in_progress")
        s.add_all([clean_twin, dirty_twin])
        s.commit()
        ids = {"clinic": clinic.id, "person": person.id, "task": task.id, "twin": dirty_twin.id, "blank": invisible.id}
    db.close()

    db = open_database(path)
    assert db.revision_before == "0007"
    with db.session() as s:
        assert s.get(Division, w.township.id).name == "桃源镇"
        clinic = s.get(Facility, ids["clinic"])
        assert (clinic.name, clinic.address, clinic.version) == ("新村卫生室", "村口1号", 2)
        assert s.get(Facility, ids["blank"]).name == "\u200b"  # left as it was; the upgrade went on
        person = s.get(StaffMember, ids["person"])
        assert (person.name, person.status_reason) == ("张三", "退休\n见文件")  # a Text column keeps its breaks
        assert s.scalars(select(StaffLoan.reason)).one() == "支援乡镇"
        assert s.get(KeyTask, ids["task"]).content == "一、摸底\n二、\t推进"
        assert "完成\n下步" in s.scalars(select(TaskUpdate.note)).all()
        twin = s.get(KeyTask, ids["twin"])
        assert (twin.number, twin.title) == ("（一）\u200b", "乙")  # its number would repeat its twin's
        history = s.scalars(select(Change).where(Change.table_name == "staff", Change.row_id == ids["person"])).one()
        assert history.old_values == {"name": "张\x00三\x1b", "status_reason": "退休\r\n见文件\x07"}
        assert history.new_values == {"name": "张三", "status_reason": "退休\n见文件"}
    db.close()


def test_divisions_get_a_withdrawal_date_on_upgrade(tmp_path):
    """0010: divisions are kept when withdrawn, with the date; those of an older database are all current."""
    from db.models import Division

    path = tmp_path / "0009.db"
    old = open_database(path, to_revision="0009")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO divisions (id, code, name, kind, remote) VALUES (1, '430922000000', '桃江县', 'county', 0)"
        )
    old.close()
    db = open_database(path)
    try:
        assert db.revision_before == "0009"
        with db.session() as s:
            county = s.get(Division, 1)
            assert (county.name, county.withdrawn_on) == ("桃江县", None)
            county.withdrawn_on = dt.date(2026, 12, 1)
            s.commit()
    finally:
        db.close()


def test_the_tcm_physician_rule_reaches_community_stations_on_upgrade(tmp_path):
    """0014: a version of the rule as the defaults gave it now reaches stations; one the bureau changed is its own."""
    import json

    path = tmp_path / "0013.db"
    old = open_database(path, to_revision="0013")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO norm_rules (id, key, name) VALUES (1, 'tcm_physician_present', "
            "'乡镇卫生院和社区卫生服务中心配备中医类别医师')"
        )
        for version, kinds in ((1, ["central_thc", "thc", "chsc"]), (2, ["thc"])):
            conn.exec_driver_sql(
                "INSERT INTO norm_versions (rule_id, version, effective_from, enabled, params, applies_to, severity, "
                f"source_title, created_at, created_by) VALUES (1, {version}, '202{version}-01-01', 1, '{{}}', ?, "
                "'medium', '《规划》', '2026-01-01 00:00:00', '系统')",
                (json.dumps(kinds),),
            )
    old.close()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            kinds = [
                json.loads(k) for (k,) in conn.exec_driver_sql("SELECT applies_to FROM norm_versions ORDER BY version")
            ]
            name = conn.exec_driver_sql("SELECT name FROM norm_rules").scalar()
        assert kinds == [["central_thc", "thc", "chsc", "chs_station"], ["thc"]]
        assert name == "乡镇卫生院和社区卫生服务机构配备中医类别医师"
    finally:
        db.close()


def test_default_norms_move_to_their_documents_dates_on_upgrade(tmp_path):
    """0016: a first version dated 2000-01-01 moves to its document's date, unless the bureau has a version of
    the rule starting by then (the first must stay first)."""
    path = tmp_path / "0015.db"
    old = open_database(path, to_revision="0015")
    with old.engine.begin() as conn:
        for rule_id, key in ((1, "bed_band"), (2, "tcm_hall")):
            conn.exec_driver_sql(f"INSERT INTO norm_rules (id, key, name) VALUES ({rule_id}, '{key}', '规则')")
        versions = [
            (1, 1, "2000-01-01", "章贡区加强基层卫生健康服务能力建设实施方案"),
            (2, 1, "2000-01-01", "安康市“十四五”卫生健康事业发展规划"),
            (2, 2, "2021-01-01", "安康市“十四五”卫生健康事业发展规划"),  # the bureau's own, before 2021-11-15
        ]
        for rule_id, version, day, title in versions:
            conn.exec_driver_sql(
                "INSERT INTO norm_versions (rule_id, version, effective_from, enabled, params, applies_to, severity, "
                "source_title, created_at, created_by) VALUES (?, ?, ?, 1, '{}', '[]', 'medium', ?, "
                "'2026-01-01 00:00:00', '系统')",
                (rule_id, version, day, title),
            )
    old.close()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            days = conn.exec_driver_sql("SELECT rule_id, version, effective_from FROM norm_versions ORDER BY id").all()
        assert [tuple(map(str, d)) for d in days] == [
            ("1", "1", "2020-12-30"),
            ("2", "1", "2000-01-01"),
            ("2", "2", "2021-01-01"),
        ]
    finally:
        db.close()


def test_history_values_are_stored_as_json_dumps_writes_them(tmp_path):
    """The history's JSON comes from one encoder made once, not json.dumps: it writes the same text."""
    import json

    from db.engine import _json_text

    record = {"name": "李四", "beds": 24, "rate": 0.856, "nested": {"list": [False, None], 7: "key made text"}}
    values = [None, 0, -1.5, 10**30, float("inf"), "", '张三\n“引号”"\\\t', [], {}, [1, "a", None, True], record]
    for value in values:
        assert _json_text(value) == json.dumps(value, ensure_ascii=False)
    with pytest.raises(TypeError):
        _json_text({"when": dt.date(2026, 12, 2)})  # a date must be made text first, as the history does
    db = open_database(tmp_path / "json.db")
    with db.session() as s:
        s.add(Change(at=dt.datetime.now(), user="t", table_name="staff", row_id=1, action="insert", new_values=record))
        s.commit()
    with db.session() as s:
        stored = s.connection().exec_driver_sql("SELECT new_values FROM changes WHERE row_id = 1").scalar()
        assert stored == json.dumps(record, ensure_ascii=False)
    db.close()


def test_a_reading_within_a_reading_of_the_same_database_is_the_same_session(db, tmp_path):
    from db import open_database

    other = open_database(tmp_path / "other.db")
    try:
        with db.reading() as outer:
            with db.reading() as inner, other.reading() as elsewhere:
                assert inner is outer and elsewhere is not outer
            with db.reading() as again:
                assert again is outer
        with db.reading() as after:
            assert after is not outer
    finally:
        other.close()
