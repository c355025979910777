"""Field descriptions parse what clerks type and imports bring; edits validate, write and keep history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import CheckConstraint, String, func, select

from db.models import Change, KeyTask, StaffMember
from desktop.records import FACILITY, PROJECT, RECORD_TYPES, STAFF, TASK
from desktop.records.editing import RecordError, create_record, strike_off_task, transfer_staff, update_record
from desktop.validators import InvalidValue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024/3/1", dt.date(2024, 3, 1)),
        ("2024.03", dt.date(2024, 3, 1)),
        (45352, dt.date(2024, 3, 1)),
        ("2024年3月1日", dt.date(2024, 3, 1)),
        ("２０２４－０３－０１", dt.date(2024, 3, 1)),
        (dt.datetime(2024, 3, 1, 8, 0), dt.date(2024, 3, 1)),
    ],
)
def test_dates_in_every_way_clerks_write_them(raw, expected):
    assert PROJECT.field("planned_start").parse(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("１２", 12), ("12张", 12), ("1,200", 1200), (12.0, 12), (" 7 ", 7)])
def test_numbers_full_width_with_units_and_as_text(raw, expected):
    assert FACILITY.field("open_beds").parse(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [(-1, "不能小于 0"), ("12.5", "应为整数"), ("十二", "应为数字")])
def test_bad_numbers_say_why(raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        FACILITY.field("open_beds").parse(raw)


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        ("name", [" 王 芳 ", "李四", "Ａｌｉ", "欧阳　娜"]),
        (
            "id_number",
            [
                "110101199003078515",
                " 110101199003078515 ",
                "'11010119900307811x",
                "１１０１０１１９９００３０７８５１５",
            ],
        ),
        ("phone", ["13812345678", "0871-65123456", "138 1234 5678", "+86 13812345678", "138****5678"]),
    ],
)
def test_a_column_read_in_one_go_reads_as_each_cell_alone(name, texts):
    field = STAFF.field(name)
    assert field.read_all(texts) == [field.read(text)[0] for text in texts]


@pytest.mark.parametrize(
    ("name", "texts"),
    [("name", ["王芳", "  "]), ("id_number", ["110101199003078515", "110101199003078516"]), ("phone", ["138", "1"])],
)
def test_a_column_with_a_blank_or_a_bad_cell_is_left_to_be_read_cell_by_cell(name, texts):
    assert STAFF.field(name).read_all(texts) is None


def test_id_numbers_damaged_by_excel_are_recognised():
    with pytest.raises(InvalidValue, match="科学计数法"):
        STAFF.field("id_number").parse(1.10105194912310e17)
    with pytest.raises(InvalidValue, match="科学计数法"):
        STAFF.field("id_number").parse("1.10105E+17")


def test_codes_accept_the_chinese_label_or_the_code():
    f = STAFF.field("category")
    assert f.parse("乡村医生") == f.parse("village_doctor") == "village_doctor"
    with pytest.raises(InvalidValue, match="不在可选范围内"):
        f.parse("赤脚医生")


def test_display_masks_id_numbers_unless_asked():
    f = STAFF.field("id_number")
    assert f.display("11010519491231002X") == "110105********002X"
    assert f.display("11010519491231002X", unmask=True) == "11010519491231002X"


def test_every_field_names_a_model_column():
    for rtype in RECORD_TYPES.values():
        columns = set(rtype.model.__table__.columns.keys())
        assert {f.name for f in rtype.fields} <= columns, rtype.key


def _column_default(column):
    if column.default is not None:
        return column.default.arg
    return None if column.server_default is None else column.server_default.arg


def _check_codes(table, name: str) -> set[str] | None:
    """The codes a CHECK constraint of the table allows in a column (``sql_in``), or None if none limits it."""
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            m = re.search(rf"\b{name} IN \(([^)]*)\)", str(constraint.sqltext))
            if m:
                return {v.strip().strip("'") for v in m.group(1).split(",")}
    return None


def test_every_field_agrees_with_its_column():
    """Nullability, default and length are the column's; a blank never reaches a NOT NULL column as NULL (issue 17,
    5a: 实有床位 and 14 others); allowed codes are exactly the CHECK list."""
    for rtype in RECORD_TYPES.values():
        table = rtype.model.__table__
        for f in rtype.fields:
            column, where = table.columns[f.name], (rtype.key, f.name)
            default = _column_default(column)
            assert f.required or f.derived or f.filled_in_if_blank or column.nullable or default is not None, where
            assert f.nullable == column.nullable, where
            if not column.nullable and default is not None:
                assert f.default == f.parse(str(default)) or f.default == default, where
                if not f.required:  # a blank stands for the default, and the field says so
                    assert f.parse("") == f.default and f.parse(None) == f.default, where
                    assert f"不填即为“{f.display(f.default)}" in f.note, where
            if not column.nullable and default is None and not (f.derived or f.filled_in_if_blank):
                assert f.required, where
            if hasattr(column.type, "plain_length"):  # stored sealed: longer than what is typed
                assert f.max_length == column.type.plain_length, where
            elif isinstance(column.type, String) and column.type.length is not None:
                assert f.max_length == column.type.length, where
            elif f.max_length is not None:  # a limit tighter than an unbounded Text column: long free text only
                assert f.multiline, where
            allowed = _check_codes(table, f.name)
            if f.codes is not None or allowed is not None:
                assert set(f.codes or ()) == allowed, where


@pytest.fixture
def session(demo_db):
    with demo_db.session() as s:
        yield s


def test_create_a_person_derives_birth_date_and_sex_and_logs_it(session):
    facility_id = session.scalar(select(StaffMember.facility_id).limit(1))
    person = create_record(
        session,
        STAFF,
        {
            "name": "王小明",
            "id_number": "11010519491231002X",
            "facility_id": facility_id,
            "category": "执业医师",
            "title": "中级",
            "employment_form": "在编",
            "status": "在岗",
        },
        user="测试",
    )
    assert (person.birth_date, person.sex) == (dt.date(1949, 12, 31), "F")
    change = session.scalars(select(Change).where(Change.row_id == person.id, Change.table_name == "staff")).one()
    assert change.action == "insert" and change.new_values["id_number"] == "11010519491231002X"


def test_a_bad_credit_code_is_refused_with_the_reason(session):
    with pytest.raises(RecordError) as info:
        create_record(
            session,
            FACILITY,
            {
                "name": "新建村卫生室",
                "kind": "村卫生室",
                "division_id": 5,
                "ownership": "公立",
                "status": "运营",
                "credit_code": "91350100M000100Y44",
            },
            user="测试",
        )
    assert "校验位错误" in info.value.errors["credit_code"]


def test_update_records_old_and_new_values(session):
    person = session.scalars(select(StaffMember).where(StaffMember.status == "on_post")).first()
    old_title = person.title
    changed = update_record(session, STAFF, person.id, {"title": "副高级"}, user="测试")
    assert changed == {"title": (old_title, "associate_senior")}
    change = session.scalars(select(Change).where(Change.action == "update")).one()
    assert change.old_values == {"title": old_title} and change.new_values == {"title": "associate_senior"}
    assert update_record(session, STAFF, person.id, {"title": "副高级"}, user="测试") == {}


def test_a_facility_with_people_on_post_is_not_closed(session):
    """Its people would count nowhere: the clerk is told who is still there, and nothing changes until they
    have been moved or have left."""
    clinic_id, = session.scalars(
        select(StaffMember.facility_id).where(StaffMember.status == "on_post").group_by(StaffMember.facility_id)
        .having(func.count() == 2).limit(1)
    )  # fmt: skip
    people = session.scalars(select(StaffMember).where(StaffMember.facility_id == clinic_id)).all()
    closing = {"status": "撤销", "status_reason": "并入邻村卫生室"}
    with pytest.raises(RecordError) as info:
        update_record(session, FACILITY, clinic_id, closing, user="测试")
    message = info.value.errors["status"]
    assert "尚有在岗人员2人" in message and all(p.name in message for p in people if p.status == "on_post")
    session.expire_all()
    assert session.get(FACILITY.model, clinic_id).status == "operating"
    for p in people:
        if p.status == "on_post":
            update_record(session, STAFF, p.id, {"status": "离职", "status_reason": "辞职"}, user="测试")
    assert update_record(session, FACILITY, clinic_id, closing, user="测试")["status"] == ("operating", "closed")


def test_leaving_needs_a_reason_next_to_the_field(session):
    person = session.scalars(select(StaffMember).where(StaffMember.status == "on_post")).first()
    with pytest.raises(RecordError) as info:
        update_record(session, STAFF, person.id, {"status": "离职"}, user="测试")
    assert "须写明原因" in info.value.errors["status_reason"]
    assert person.status == "on_post"  # rolled back in memory too


def test_strike_off_needs_a_note(session):
    task = session.scalars(select(KeyTask).where(KeyTask.status == "in_progress")).first()
    with pytest.raises(RecordError, match="销号必须写明"):
        strike_off_task(session, task.id, "  ", user="测试")
    strike_off_task(session, task.id, "经县医改领导小组审议，已完成", user="测试", on=dt.date(2026, 10, 9))
    assert task.status == "struck_off" and task.updates[-1].status == "struck_off"
    assert session.scalars(select(Change).where(Change.action == "strike")).one().reason.startswith("经县医改")


def test_transfer(session):
    person = session.scalars(select(StaffMember)).first()
    target = person.facility_id + 1
    transfer_staff(session, person.id, target, user="测试", on=dt.date(2026, 10, 1))
    assert person.facility_id == target
    with pytest.raises(RecordError, match="已在"):
        transfer_staff(session, person.id, target, user="测试", on=dt.date(2026, 10, 2))


def test_only_long_free_text_fields_keep_line_breaks_and_their_columns_hold_them():
    """The rule for tabs and line breaks is the field's; the migration and the exchange read it from the column."""
    from sqlalchemy import Text

    for rtype in RECORD_TYPES.values():
        for f in rtype.fields:
            if f.kind == "text":
                column = rtype.model.__table__.columns[f.name]
                assert f.multiline == isinstance(column.type, Text), (rtype.key, f.name)


def test_a_name_with_a_direction_override_is_refused_next_to_the_field(session):
    person = session.scalars(select(StaffMember)).first()
    with pytest.raises(RecordError) as info:
        update_record(session, STAFF, person.id, {"name": "王\u202egpj.exe\u202c五"}, user="测试")
    assert set(info.value.errors) == {"name"}
    assert "“姓名”含有不可见或不允许的字符：文字方向控制符 U+202E" in info.value.errors["name"]
    with pytest.raises(RecordError) as info:
        update_record(session, STAFF, person.id, {"name": "张\x00三", "status_reason": "调出\n见文件"}, user="测试")
    assert set(info.value.errors) == {"name"} and "控制字符 U+0000" in info.value.errors["name"]
    task = session.scalars(select(KeyTask)).first()
    update_record(session, TASK, task.id, {"content": "一、摸底\r\n二、推进\t（已完成）"}, user="测试")
    assert task.content == "一、摸底\n二、推进\t（已完成）"


def test_a_progress_note_given_outside_a_form_is_checked_by_its_field(session):
    from desktop.records.editing import add_task_update

    task = session.scalars(select(KeyTask).where(KeyTask.status != "struck_off")).first()
    with pytest.raises(RecordError) as info:
        add_task_update(
            session, task.id, on=dt.date(2026, 9, 30), status="推进中", note="已推进\x1b[2J", evidence=None, user="测试"
        )
    assert "控制字符 U+001B" in info.value.errors["note"]
    with pytest.raises(RecordError) as info:
        strike_off_task(session, task.id, "完成\u200b", user="测试")
    assert "零宽字符 U+200B" in info.value.errors["struck_off_note"]


def test_the_exchange_finds_records_by_a_key_their_description_declares():
    """One set of natural keys: what identifies a record in an exchange file is one of the keys its description
    declares for files and imports (the exchange keeps its own order of the fields, which its files carry)."""
    from desktop.exchange.tables import SPECS

    for spec in SPECS:
        rtype = next((t for t in RECORD_TYPES.values() if t.model is spec.model), None)
        if rtype is None or not spec.entity:
            continue
        assert set(spec.key) in [set(key) for key in rtype.natural_keys], spec.table


def test_every_part_is_kept_in_its_own_table_under_its_records_id():
    from db.models import Base

    for rtype in RECORD_TYPES.values():
        for part in rtype.parts:
            assert part.table in Base.metadata.tables, part.table
            for f in part.fields:
                assert rtype.field(f.name) is f and f.name not in rtype.model.__table__.columns


def _created_the_old_way(session, rtype, raw, user):
    """create_record as it was before records were written in batches: the ORM's flush, record by record, and
    each part saved as a form saves it."""
    from desktop.records.editing import _derive, _snapshot, _split_parts, log_change, make_lookup, validate

    values = validate(rtype, raw, lookup=make_lookup(session))
    _derive(session, rtype, values)
    parts = _split_parts(rtype, values)
    record = rtype.model(**values)
    session.add(record)
    session.flush()
    given = {k: v for k, v in _snapshot(rtype, record, values).items() if v is not None}  # a blank tells nothing
    log_change(session, user, rtype.model.__tablename__, record.id, "insert", None, given)
    for part, given in parts:
        part.save(session, record.id, given, user, None)
    return record.id


def _what_was_written(session, rtype, ids, since):
    """The records, their parts' rows and the history rows written, each record named by its place in ``ids``."""
    place = {record_id: n for n, record_id in enumerate(ids)}
    model = rtype.model
    columns = [c for c in model.__table__.columns if c.name != "id"]
    records = [tuple(session.execute(select(*columns).where(model.id == i)).one()) for i in ids]
    parts = {}
    for part in rtype.parts:
        table = part.model.__table__
        owner = next(c for c in table.columns if c.foreign_keys and c.name != "division_id")
        rest = [c for c in table.columns if c.name not in ("id", owner.name)]
        rows = session.execute(select(owner, *rest).where(owner.in_(ids))).all()
        parts[part.key] = sorted((place[r[0]], *r[1:]) for r in rows)
    history = [
        (c.user, c.table_name, place[c.row_id], c.action, c.old_values, c.new_values, c.reason)
        for c in session.scalars(select(Change).where(Change.id > since).order_by(Change.id))
    ]
    return records, parts, history


def _copies(session, rtype, n):
    """``n`` new records' values made from stored ones (parts too), their unique values made new."""
    from desktop.validators import id_check_digit

    model = rtype.model
    if rtype is FACILITY:  # those with equipment and a service area
        from db.models import FacilityEquipment, ServiceArea

        wanted = select(ServiceArea.facility_id).join(
            FacilityEquipment, FacilityEquipment.facility_id == ServiceArea.facility_id
        )
        ids = session.scalars(wanted.distinct().order_by(ServiceArea.facility_id).limit(n)).all()
    else:
        ids = session.scalars(select(model.id).order_by(model.id.desc()).limit(n)).all()
    loaded = {part.key: part.load(session, ids) for part in rtype.parts}
    out = []
    for k, record_id in enumerate(ids):
        record = session.get(model, record_id)
        values = {f.name: getattr(record, f.name) for f in rtype.fields if not f.derived}
        for part in rtype.parts:
            values.update(part.empty())
            values.update(loaded[part.key].get(record_id, {}))
        if rtype is STAFF:
            first = f"43092219900101{k:03d}"
            values["id_number"] = first + id_check_digit(first)
        elif rtype is FACILITY:
            values["name"], values["credit_code"] = f"{values['name']}（新{k}）", None
        elif rtype is TASK:
            values["number"] = f"{values['number']}-新{k}"
        else:
            values["name"] = f"{values['name']}（新{k}）"
        out.append(values)
    return out


@pytest.mark.parametrize("rtype", [STAFF, FACILITY, PROJECT, TASK], ids=lambda t: t.key)
def test_records_written_together_leave_what_one_by_one_left(demo_db, rtype):
    """create_records (a bulk import's batch) writes the records, their parts and their history exactly as the
    ORM's record-by-record flush did: the same values, the same rows of equipment or funding, the same history
    rows in the same order."""
    from desktop.records.editing import create_records

    written = []
    for together in (False, True):
        with demo_db.session() as s:
            raws = _copies(s, rtype, 3)
            assert any(any(v for k, v in raw.items() if rtype.part_of(k)) for raw in raws) or not rtype.parts
            since = s.scalar(select(func.max(Change.id))) or 0
            if together:
                ids = create_records(s, rtype, raws, user="测试")
            else:
                ids = [_created_the_old_way(s, rtype, raw, "测试") for raw in raws]
            written.append(_what_was_written(s, rtype, ids, since))
            s.rollback()
    old, new = written
    assert new == old
    assert len(new[2]) >= 3 and new[0][0]


def test_every_record_and_part_is_named_in_the_history():
    """The change history shows each table by its Chinese name; a record type added without one would show its
    table's name."""
    from desktop.history import TABLES

    for rtype in RECORD_TYPES.values():
        assert rtype.model.__tablename__ in TABLES, rtype.key
        for part in rtype.parts:
            assert part.table in TABLES, part.table


def test_a_changed_value_another_record_holds_is_refused_and_an_unchanged_one_is_not_asked_again(session, demo_db):
    """The uniqueness of a value is asked when it changes (a task numbered as another of its ledger is refused,
    named); a save of some other field sends no such question (on a server each is a round trip)."""
    from sqlalchemy import event

    first, second = session.scalars(select(KeyTask).order_by(KeyTask.id).limit(2)).all()
    assert first.ledger == second.ledger
    with pytest.raises(RecordError) as info:
        update_record(session, TASK, second.id, {"number": first.number}, user="测试")
    assert "都相同" in info.value.errors["number"]
    session.rollback()

    sent: list[str] = []
    event.listen(demo_db.engine, "before_cursor_execute", lambda _c, _cu, statement, *_r: sent.append(statement))
    update_record(session, TASK, second.id, {"content": "内容改了"}, user="测试")
    assert not [s for s in sent if "key_tasks.id !=" in s], sent
