"""Creating and changing records through their descriptions, with every change kept in the history.

The window and the command line both edit through these functions, one session
per action: they validate (with Chinese reasons per field), write, and add a
row to the change history with the old and new values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache
from itertools import groupby, repeat
from typing import Any

from sqlalchemy import JSON, Boolean, Date, UniqueConstraint, func, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.access import actor_of
from db.codes import DIVISION_KIND
from db.errors import UserError
from db.locks import guard_inserted
from db.models import Base, Change, Division, Facility, Indicator, KeyTask, StaffMember, TaskUpdate
from db.models.base import table_of
from db.vault import SealedText, binds_as_is
from desktop.records.fields import Field, MaskedValue
from desktop.records.parts import logged
from desktop.records.references import Lookups
from desktop.records.types import RecordType
from desktop.validators import InvalidValue, valid_id_number


class RecordError(UserError, ValueError):
    """A record that cannot be saved; ``errors`` maps each bad field to its Chinese reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("；".join(errors.values()))


class ConflictError(RecordError):
    """Another clerk saved the record after this one opened it: nothing was written. ``current`` holds the
    record's values now (the form shows them beside the clerk's own), ``version`` the version to save over."""

    def __init__(self, errors: dict[str, str], current: dict[str, Any], version: int | None, who: str) -> None:
        super().__init__(errors)
        self.current, self.version, self.who = current, version, who


def make_lookup(session: Session) -> Lookups:
    """Names typed in a form resolved to records: the same resolver as a file's cells."""
    return Lookups(session)


def validate(
    rtype: RecordType,
    raw: dict[str, Any],
    *,
    lookup: Callable[[str, str], int | None] | None = None,
    partial: bool = False,
    parsed: bool = False,
) -> dict[str, Any]:
    """Parse every given field; raise RecordError naming each bad one. With ``partial``, fields
    not given are left alone (an edit of some fields). With ``parsed``, the values have been through their fields'
    parse already (an import's, at its check) and are taken as they are, a blank still standing for its field's
    default or refused where the field needs a value."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if parsed:
        return _validated(rtype, raw)
    for f in rtype.editable:
        if f.name not in raw:
            if not partial and f.required:
                errors[f.name] = f"“{f.label}”不能为空"
            continue
        try:
            value = raw[f.name]
            values[f.name] = f.parse(value, lookup=lookup)
        except InvalidValue as exc:
            errors[f.name] = str(exc)
            continue
        if isinstance(values[f.name], MaskedValue):  # only the importer may match a masked number to its record
            errors[f.name] = f"“{f.label}”部分数字已隐藏（*），请填写完整号码"
    if errors:
        raise RecordError(errors)
    return values


def _validated(rtype: RecordType, raw: dict[str, Any]) -> dict[str, Any]:
    """``validate`` of values already parsed (an import's rows, tens of thousands of them): each is taken as it is,
    a blank stands for its field's default or is refused where the field needs a value, a masked number is
    refused, a required field not given is refused."""
    # An import's row holds only editable fields, so a copy (in C) is the common case.
    values = raw.copy() if rtype.editable_set.issuperset(raw) else {n: raw[n] for n in rtype.editable_names if n in raw}
    refused = not rtype.required_names <= values.keys() or any(
        values.get(n).__class__ is MaskedValue for n in rtype.sensitive_names
    )
    if None in values.values():
        blanks = rtype.blanks
        for name in [n for n, v in values.items() if v is None]:
            if name not in blanks:
                refused = True
                break
            values[name] = blanks[name]
    if refused:
        raise RecordError(_refusals(rtype, raw))
    return values


def _refusals(rtype: RecordType, raw: dict[str, Any]) -> dict[str, str]:
    """Why _validated refuses ``raw``, field by field in the record's order."""
    errors: dict[str, str] = {}
    for f in rtype.editable:
        value = raw.get(f.name, _NOT_GIVEN)
        if value is None:
            try:
                f.parse(None)  # the field's own words for why a blank will not do
            except InvalidValue as exc:
                errors[f.name] = str(exc)
        elif value is _NOT_GIVEN:
            if f.required:
                errors[f.name] = f"“{f.label}”不能为空"
        elif value.__class__ is MaskedValue:  # only the importer may match a masked number to its record
            errors[f.name] = f"“{f.label}”部分数字已隐藏（*），请填写完整号码"
    return errors


_NOT_GIVEN = object()


def _cross_checks(rtype: RecordType, record: Any) -> dict[str, str]:  # noqa: C901
    """Rules across fields, checked on the whole record after the change (the database checks them
    too; these give the reason next to the right field)."""
    errors: dict[str, str] = {}
    if rtype.key == "staff":
        if record.status != "on_post" and not (record.status_reason or "").strip():
            errors["status_reason"] = "离职、退休或调出须写明原因"
        if record.directed_service_until and not record.directed_graduate:
            errors["directed_service_until"] = "只有定向生才有定向服务期"
        if record.hire_date and record.birth_date and record.hire_date <= record.birth_date:
            errors["hire_date"] = "参加工作日期应晚于出生日期"
    elif rtype.key == "facility":
        if (record.tcm_beds or 0) > (record.open_beds or 0):
            errors["tcm_beds"] = f"中医床位（{record.tcm_beds} 张）不能多于实有床位（{record.open_beds} 张）"
        if record.status == "closed" and not (record.status_reason or "").strip():
            errors["status_reason"] = "撤销机构须写明原因"
    elif rtype.key == "project":
        if record.planned_completion and record.planned_start and record.planned_completion < record.planned_start:
            errors["planned_completion"] = "计划完工日期不能早于计划开工日期"
    elif rtype.key == "task":
        if record.status == "struck_off" and not (record.struck_off_note or "").strip():
            errors["struck_off_note"] = "销号必须写明销号说明"
    elif rtype.key == "population" and record.resident is not None:
        for name in ("rural", "aged_65_plus", "aged_0_3"):
            value = getattr(record, name)
            if value is not None and value > record.resident:
                label = rtype.field(name).label
                errors[name] = f"{label}（{value:,} 人）不能多于常住人口（{record.resident:,} 人）"
    elif rtype.key == "division":
        if record.parent_id is None and record.kind not in ("county", "city"):
            errors["parent_id"] = "乡镇（街道）须填所属县，村、社区须填所属乡镇（街道）"
    elif rtype.key in ("training", "loan"):
        if record.end_date is not None and record.start_date is not None and record.end_date < record.start_date:
            errors["end_date"] = f"“{rtype.field('end_date').label}”不能早于“{rtype.field('start_date').label}”"
    elif rtype.key == "plan":
        if record.start_year is not None and record.end_year is not None and record.end_year < record.start_year:
            errors["end_year"] = f"终止年度（{record.end_year}）不能早于起始年度（{record.start_year}）"
    elif rtype.key == "indicator":
        base, target = record.baseline_year, record.target_year
        if base is not None and target is not None and target <= base:
            errors["target_year"] = f"目标年度（{target}）应晚于基期年度（{base}）"
    return errors


def _unique_checks(
    session: Session, rtype: RecordType, record: Any, changed: Collection[str] | None = None
) -> dict[str, str]:
    """A value another record already holds, in a column that must be unique (an ID number, a credit code), or
    in columns unique together, named with that record, before the database refuses it with an error no one can
    read. Only the fields ``changed`` (all for a new record): a value a record already held was unique then (a
    query fewer per save, a round trip on a server)."""
    described = {f.name for f in rtype.fields}
    checked = described if changed is None else described & set(changed)
    return {**_unique_alone(session, rtype, record, checked), **_unique_together(session, rtype, record, checked)}


def _unique_alone(session: Session, rtype: RecordType, record: Any, checked: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    model = rtype.model
    for column in model.__table__.columns:
        name = column.info.get("field", column.name)  # a lookup key is unique for the field it keys
        value = getattr(record, name, None)
        if not column.unique or value is None or name not in checked:
            continue
        query = select(model).where(getattr(model, column.name) == value)
        if record.id is not None:
            query = query.where(model.id != record.id)
        with session.no_autoflush:
            other = session.scalars(query.limit(1)).first()
        if other is not None:
            errors[name] = f"该{rtype.field(name).label}已登记为“{_title(session, rtype, other)}”"
    return errors


def _unique_together(session: Session, rtype: RecordType, record: Any, checked: set[str]) -> dict[str, str]:
    """Several columns unique together (a facility's special fund of a year): named next to the last of them, the
    one a clerk changes (the year; the facility is the form's own)."""
    errors: dict[str, str] = {}
    model = rtype.model
    described = {f.name for f in rtype.fields}
    for constraint in table_of(model).constraints:
        names = [c.name for c in getattr(constraint, "columns", ())]
        if not isinstance(constraint, UniqueConstraint) or len(names) < 2 or not set(names) <= described:
            continue
        values = {n: getattr(record, n, None) for n in names}
        if not set(names) & checked or any(v is None for v in values.values()):
            continue
        same = select(model.id).where(*(getattr(model, n) == v for n, v in values.items()))
        if record.id is not None:
            same = same.where(model.id != record.id)
        with session.no_autoflush:
            other_id = session.scalars(same.limit(1)).first()
        if other_id is not None:
            labels = "、".join(rtype.field(n).label for n in names)
            errors[names[-1]] = f"已有一条{labels}都相同的{rtype.label}记录，请修改那一条，不要重复登记"
    return errors


def _reference_checks(
    session: Session, rtype: RecordType, record: Any, divisions: dict[int, Any] | None = None
) -> dict[str, str]:
    """Each reference to a division is of a kind its field allows: a population is a village's or a
    community's (a township's own total would be counted again with its villages', and no page shows it), a
    township hangs from a county."""
    errors = {}
    if rtype.key == "indicator" and getattr(record, "computed_by", None) and getattr(record, "plan_id", None):
        # the ratio checks read one target per computation from a plan
        other = session.scalar(
            select(Indicator.name).where(
                Indicator.plan_id == record.plan_id,
                Indicator.computed_by == record.computed_by,
                Indicator.id != (getattr(record, "id", None) or -1),
            )
        )
        if other is not None:
            errors["computed_by"] = f"该规划中已有按此口径计算的指标“{other}”"
    for f in _kinded_references(rtype):
        value = getattr(record, f.name, None)
        if value is None or value < 0:
            continue
        division = divisions.get(value) if divisions is not None else session.get(Division, value)
        kinds = f.ref_kinds or ()  # every field here names its kinds (_kinded_references)
        if division is not None and division.kind not in kinds:
            allowed = "或".join(dict.fromkeys(DIVISION_KIND[k] for k in kinds))
            errors[f.name] = f"“{f.label}”应为{allowed}；“{division.name}”是{DIVISION_KIND[division.kind]}"
    return errors


def _closing_checks(
    session: Session, rtype: RecordType, record_id: int, name: str, was: str | None, now: str | None
) -> dict[str, str]:
    """A facility is closed only once nobody is on post in it: its people would otherwise count nowhere (not in
    its figures, being closed, nor in any other's). In a form and in an import alike."""
    if rtype.key != "facility" or now != "closed" or was == "closed":
        return {}
    with session.no_autoflush:
        names = session.scalars(
            select(StaffMember.name)
            .where(StaffMember.facility_id == record_id, StaffMember.status == "on_post")
            .order_by(StaffMember.id)
        ).all()
    if not names:
        return {}
    shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
    return {
        "status": f"{name}尚有在岗人员{len(names)}人（{shown}），撤销前请先在人员表中将他们调往其他机构，"
        "或办理离职、退休"
    }


_KINDED: dict[str, tuple[Field, ...]] = {}


def _kinded_references(rtype: RecordType) -> tuple[Field, ...]:
    """The fields referring to a division of some kinds only (an import checks every row's)."""
    if rtype.key not in _KINDED:
        _KINDED[rtype.key] = tuple(f for f in rtype.fields if f.ref == "division" and f.ref_kinds)
    return _KINDED[rtype.key]


def _title(session: Session, rtype: RecordType, record: Any) -> str:
    """A record as a message names it: its name, or the name of the record its title field points to."""
    field = rtype.field(rtype.title_field)
    value = getattr(record, field.name, None)
    if field.kind == "ref" and value is not None:
        return Lookups(session).labels(field.refers_to).get(value, "")
    return str(value or "")


class _Whole:
    """A record's values as the rules across fields read them (a field not given is None)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__ = values  # read through, not copied: an import's check makes one for every row

    def __getattr__(self, name: str) -> Any:
        return None


def whole_record_problems(
    session: Session,
    rtype: RecordType,
    values: dict[str, Any],
    current: dict[str, Any] | None = None,
    divisions: dict[int, Any] | None = None,
    record_id: int | None = None,
) -> dict[str, str]:
    """The rules across fields for a record as it would be with ``values`` over its ``current`` ones: what
    create_record or update_record would refuse, found before anything is written (an import's check, which
    gives the ``divisions`` it has read, so that a file's rows ask nothing more of the database)."""
    merged = {**(current or {}), **values}
    _derive(session, rtype, merged)
    whole = _Whole({**merged, "id": record_id} if record_id is not None else merged)  # itself is no other
    errors = _cross_checks(rtype, whole) or _reference_checks(session, rtype, whole, divisions)
    if not errors and record_id is not None:
        was, now = (current or {}).get("status"), merged.get("status")
        errors = _closing_checks(session, rtype, record_id, str(merged.get("name") or ""), was, now)
    return errors


def _derive(session: Session, rtype: RecordType, values: dict[str, Any], record: Any = None) -> None:
    if rtype.key == "staff" and values.get("id_number"):
        values["birth_date"], values["sex"] = _born(values["id_number"])
    elif rtype.key == "loan" and "from_facility_id" in values and values["from_facility_id"] is None:
        staff_id = values.get("staff_id", getattr(record, "staff_id", None))  # lent from where they work
        person = session.get(StaffMember, staff_id) if staff_id is not None else None
        values["from_facility_id"] = person.facility_id if person is not None else None
    elif rtype.key == "indicator" and record is None and values.get("name"):
        values.setdefault("code", _indicator_code(values))


def _indicator_code(values: dict[str, Any]) -> str:
    """A new indicator's key within its plan: what computes it, else its name (unique in the plan too), shortened
    past the column's 40 characters with a digest of the whole name."""
    if values.get("computed_by"):
        return str(values["computed_by"])
    name = values["name"]
    return name if len(name) <= 40 else f"{name[:31]}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def _born(id_number: str) -> tuple[dt.date, str]:
    """Birth date and sex from an ID number (a number no parse has checked is refused here too)."""
    info = valid_id_number(id_number)
    return info.birth_date, info.sex


def _split_parts(rtype: RecordType, values: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """Take the values of the record's parts (equipment, funding ...) out of ``values``, part by part."""
    out = []
    for part in rtype.parts:
        given = {f.name: values.pop(f.name) for f in part.fields if f.name in values}
        if given:
            out.append((part, given))
    return out


def _snapshot(rtype: RecordType, record: Any, names: Iterable[str]) -> dict[str, Any]:
    return {n: _jsonable(getattr(record, n)) for n in names}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def log_change(
    session: Session,
    user: str,
    table: str,
    row_id: int,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    reason: str | None = None,
    effective_on: dt.date | None = None,
) -> None:
    """One row of the change history. With sign-in on it names the signed-in account."""
    session.add(
        Change(
            **_change(acting_user(session, user), table, row_id, action, old, new, reason), effective_on=effective_on
        )
    )


def acting_user(session: Session, user: str) -> str:
    """The name the history records an action under."""
    actor = actor_of(session)
    return actor.name if actor.signed_in else user  # with sign-in on, the account, whatever the caller passed


def _change(
    user: str,
    table: str,
    row_id: int,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    return {
        "at": at or dt.datetime.now(),
        "user": user,
        "table_name": table,
        "row_id": row_id,
        "action": action,
        "old_values": old,
        "new_values": new,
        "reason": reason,
    }


def create_record(
    session: Session, rtype: RecordType, raw: dict[str, Any], *, user: str, check_unique: bool = True
) -> Any:
    """One new record (create_records' checks and writing), returned as read back from the database."""
    (record_id,) = create_records(session, rtype, [raw], user=user, check_unique=check_unique)
    return session.get(rtype.model, record_id)


def create_records(  # noqa: C901
    session: Session,
    rtype: RecordType,
    raws: Sequence[dict[str, Any]],
    *,
    user: str,
    check_unique: bool = True,
    parsed: bool = False,
    reason: str | None = None,
) -> list[int]:
    """New records, each validated, completed (birth date and sex from the ID number, a loan's home facility)
    and checked as a form's record is, then written together: one INSERT of the records, giving back their ids
    in order, one of each part's rows, one of their history rows. Returns the ids.

    The first record refused raises RecordError, and nothing is written. A rule only the database knows raises
    its IntegrityError from a statement: the caller rolls back to a savepoint taken before (an import then
    writes the same records one by one, to find the row that broke it).

    ``check_unique=False``: the caller already knows no record holds their unique values (the importer, which
    matched every row by them), and a city's roster is spared a query per person. Two of ``raws`` sharing a
    unique value are refused by the database. ``parsed``: the values have been through their fields' parse and
    the whole-record rules (an import's rows, every cell parsed and every row checked by whole_record_problems at
    its check), and are neither parsed nor checked again (see validate)."""
    if not raws:
        return []
    lookup = None if parsed else make_lookup(session)
    model, table = rtype.model, rtype.model.__tablename__
    prepared = []
    for raw in raws:
        values = validate(rtype, raw, lookup=lookup, parsed=parsed)
        if rtype.key == "loan":
            values.setdefault("from_facility_id", None)
        _derive(session, rtype, values)
        parts = _split_parts(rtype, values)
        if not parsed or check_unique:
            whole = _Whole(values)
            errors = {} if parsed else _cross_checks(rtype, whole) or _reference_checks(session, rtype, whole)
            if not errors and check_unique:
                errors = _unique_checks(session, rtype, whole)
            if errors:
                raise RecordError(errors)
        prepared.append((values, parts))
    rows = [_inserted(model, values) for values, _parts in prepared]
    guard_inserted(session, table, rows)  # what the flush's guard would refuse (an approved, locked area)
    ids = _insert_returning_ids(session, model, rows)
    user = acting_user(session, user)
    changes: list[dict[str, Any]] = []
    part_rows: dict[Any, list[dict[str, Any]]] = {}
    dates = rtype.date_names
    at = dt.datetime.now()  # records written together were written at one moment
    for record_id, (values, parts) in zip(ids, prepared, strict=True):
        # The history holds every value the new record was given, dates as text (as _jsonable gives them); a
        # blank is left out, as nothing to tell (and a city's first roster writes 26,000 of these).
        logged_values = {k: v for k, v in values.items() if v is not None}
        for name in dates:
            if (day := logged_values.get(name)) is not None:
                logged_values[name] = day.isoformat()
        changes.append(_change(user, table, record_id, "insert", None, logged_values, reason, at=at))
        for part, given in parts:
            new_rows, changed = part.new_rows(record_id, given)
            part_rows.setdefault(part, []).extend(new_rows)
            if changed:
                changes.append(_change(user, part.table, record_id, "update", *logged(changed), reason, at=at))
    for part, new_rows in part_rows.items():
        if new_rows:
            guard_inserted(session, part.table, new_rows)
            _insert_many(session, part.model.__table__, new_rows)
    _insert_many(session, Change.__table__, changes)  # the same columns in every row: Core, no ORM bookkeeping
    return ids


def _insert_many(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Rows of one table, in as few statements as their columns allow. A column left out gets its server default,
    which is the column's default in every table (a test holds them equal)."""
    if session.get_bind().dialect.name != "sqlite":
        for _columns, group in groupby(rows, key=_columns_of):
            session.execute(insert(table), list(group))
        return
    for columns, group in groupby(rows, key=_columns_of):
        _driver_insert(session, table, columns, _by_column(list(group), columns))


def _columns_of(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(row)


def _by_column(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[Sequence[Any]]:
    return [[row[name] for row in rows] for name in columns]


def _driver_insert(session: Session, table: Any, columns: Sequence[str], values: list[Sequence[Any]]) -> None:
    """Rows given column by column (``values[j]``: every row's ``columns[j]``), through SQLite's own executemany
    with each column's conversion applied once per value: SQLAlchemy's per-row statement building took most of a
    first day's import. Most columns need no conversion."""
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    names, marks = ", ".join(quote.quote(name) for name in columns), ", ".join("?" * len(columns))
    sql = f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({marks})"
    values = list(values)
    for j, name in enumerate(columns):
        column_type = table.c[name].type
        c = column_type._cached_bind_processor(dialect)
        if c is None or isinstance(column_type, Boolean):  # the driver binds True and False as 1 and 0, as c would
            continue
        as_given = binds_as_is(column_type, dialect)  # sign-in off: nothing to seal
        is_json = isinstance(getattr(column_type, "impl_instance", column_type), JSON)
        if as_given and not is_json:  # a person's numbers: stored as they are
            continue
        if isinstance(column_type, SealedText):  # sealed each on its own: equal numbers must not look equal
            values[j] = [None if v is None else c(v) for v in values[j]]
            continue
        # a history's values (JSON, sealed or not): each its own; None as JSON null, as the ORM writes it
        if is_json:
            null = c(None)
            serializer = getattr(dialect, "_json_serializer", None)  # the engine's json_serializer, where given
            if as_given and serializer is not None:
                c = serializer  # what c ends in, without its steps around: 26,000 a first roster
            values[j] = [null if v is None else c(v) for v in values[j]]
            continue
        if isinstance(column_type, Date) and c(_PROBE_DAY) == _PROBE_DAY.isoformat():
            # as SQLite's dialect writes a day, from C (a roster's birth dates are nearly all distinct)
            values[j] = [None if v is None else _iso_day(v) for v in values[j]]
            continue
        # Yes/no and the like repeat down a roster: each distinct value is converted once.
        memo: dict[Any, Any] = {None: None}
        values[j] = [memo[v] if v in memo else memo.setdefault(v, c(v)) for v in values[j]]
    connection.exec_driver_sql(sql, list(zip(*values, strict=True)))


_PROBE_DAY = dt.date(987, 6, 5)
_iso_day = dt.date.isoformat  # also refuses what is not a day, as the dialect's own does


def _insert_returning_ids(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows in as few statements as their columns allow (Core: an import's rows all have the same); their
    ids, in the rows' order. The version of a versioned record is its column's default, 1, as a flush gives it."""
    table = table_of(model)
    sqlite = session.get_bind().dialect.name == "sqlite"
    keyed = [(c.name, c.info["field"]) for c in table.columns if "field" in c.info]
    ids: list[int] = []
    for columns, grouped in groupby(rows, key=_columns_of):
        group = list(grouped)
        # A lookup key (a person's ID number's) is the number itself as written: its type makes it what is stored.
        keys = [(key, field) for key, field in keyed if field in columns and key not in columns]
        if not sqlite:
            if keys:
                group = [{**row, **{key: row[field] for key, field in keys}} for row in group]
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids += session.scalars(statement, group).all()
            continue
        # SQLite gives a new row the rowid one above the largest (no table is AUTOINCREMENT): the rows take those
        # ids, given explicitly, in order. A row another connection inserted meanwhile makes the INSERT fail on
        # the primary key, and the caller's savepoint undoes it; nothing is assumed.
        first = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        given = range(first, first + len(group))
        values = _by_column(group, columns)
        values += [values[columns.index(field)] for _key, field in keys]
        _driver_insert(session, table, ("id", *columns, *(key for key, _f in keys)), [given, *values])
        ids += given
    return ids


def _inserted(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """A record's values as its INSERT gives them. A None is left out where the column has a default (the ORM's
    flush leaves it out so that the default applies) and written as NULL elsewhere (the flush writes NULL for a
    column not given): the rows of an import then have the same columns and go in one statement."""
    with_default = _columns_with_default(model)
    if None not in map(values.get, with_default, repeat(_NOT_GIVEN, len(with_default))):
        return values  # as most are: no column has a default and a blank (nullable ones have no default)
    return {n: v for n, v in values.items() if v is not None or n not in with_default}


@cache
def _columns_with_default(model: type[Base]) -> frozenset[str]:
    return frozenset(c.key for c in model.__table__.columns if c.default is not None or c.server_default is not None)


def update_record(  # noqa: C901
    session: Session,
    rtype: RecordType,
    record_id: int,
    raw: dict[str, Any],
    *,
    user: str,
    reason: str | None = None,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
    effective_on: dt.date | None = None,
    reported: bool = False,
) -> dict[str, tuple[Any, Any]]:
    """Change some fields of a record; returns {field: (old, new)} of what actually changed.

    ``effective_on``: the day from which the change holds, where not the day it is made (a bed count changed
    from the first of the month): a period ending before it still reads the old values.

    A project's stage, progress or investment changed here is also its progress report of that day
    (_report_project_state), unless ``reported``: the change carries a report already (add_project_update).

    ``expected_version``: the version the clerk's form was opened at; if another clerk has saved since, nothing
    is written and ConflictError names their change (``seen``: the values the form was opened with)."""
    record: Any = session.get(rtype.model, record_id)  # a record of any type, its fields read by name
    if record is None:
        raise RecordError({"id": f"{rtype.label}记录不存在（编号 {record_id}），可能已被他人删除"})
    if expected_version is not None and record.version != expected_version:
        raise _conflict(session, rtype, record, seen or {})
    values = validate(rtype, raw, lookup=make_lookup(session), partial=True)
    _derive(session, rtype, values, record)
    parts = _split_parts(rtype, values)
    changed = {n: (getattr(record, n), v) for n, v in values.items() if getattr(record, n) != v}
    if effective_on is not None:
        _refuse_behind_a_later_change(session, rtype, record_id, set(changed) | {n for _p, g in parts for n in g},
                                      effective_on)  # fmt: skip
    for name, (_old, new) in changed.items():
        setattr(record, name, new)
    if rtype.key == "facility" and "status" in changed and record.status in ("suspended", "closed"):
        if "status_date" not in changed:  # the day it stopped: the day the change holds from, unless given
            day = effective_on or dt.date.today()
            changed["status_date"] = (record.status_date, day)
            record.status_date = day
    errors = (
        (
            _cross_checks(rtype, record)
            or _reference_checks(session, rtype, record)
            or _unique_checks(session, rtype, record, changed)
            or (
                _closing_checks(session, rtype, record.id, record.name, changed["status"][0], record.status)
                if "status" in changed and rtype.key == "facility"
                else {}
            )
        )
        if changed
        else {}
    )
    if errors:
        for name, (old, _new) in changed.items():
            setattr(record, name, old)
        raise RecordError(errors)
    own = dict(changed)
    try:
        session.flush()  # the record's own columns first: their UPDATE names the version the clerk read
        for part, given in parts:
            changed.update(part.save(session, record_id, given, user, reason, effective_on))
        if len(changed) > len(own) and not own and hasattr(record, "version"):
            # Only a part changed (equipment, a village served): the record's version moves all the same, so an
            # undo or another clerk's form opened before this is refused rather than silently overwriting it.
            record.version = record.version + 1
            session.flush()
    except (StaleDataError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not _lost_race(exc):
            raise
        # another clerk's save landed between this one's read and write: the UPDATE named a version gone
        session.rollback()
        fresh = session.get(rtype.model, record_id, populate_existing=True)
        raise _conflict(session, rtype, fresh, seen or {name: old for name, (old, _new) in changed.items()}) from None
    if "status" in own and own.get("status_date", (None, None))[1] is not None:
        effective_on = own["status_date"][1]  # a facility closed, a person gone: from the date given with it
    if rtype.key == "project" and not reported and own.keys() & PROJECT_STATE:
        _report_project_state(session, record, effective_on or dt.date.today())
    if own:
        log_change(
            session,
            user,
            rtype.model.__tablename__,
            record.id,
            "update",
            {n: _jsonable(o) for n, (o, _) in own.items()},
            {n: _jsonable(v) for n, (_, v) in own.items()},
            reason,
            effective_on,
        )
    return changed


def _refuse_behind_a_later_change(
    session: Session, rtype: RecordType, record_id: int, names: set[str], effective_on: dt.date
) -> None:
    """A change said to hold from a day before another change of the same field already holds from: the record
    keeps one value per field, so the later one's would be lost. Refused, saying from which day it may hold."""
    from desktop.snapshot import later_changes

    tables = [rtype.model.__tablename__, *(part.table for part in rtype.parts)]
    errors: dict[str, str] = {}
    for table in tables:
        for c in later_changes(session.connection(), table, effective_on):
            for name in set(c.old_values or {}) & names if c.row_id == record_id and c.action == "update" else ():
                day = c.effective_on or c.at.date()
                errors.setdefault(
                    name,
                    f"“{rtype.field(name).label}”已有自{day.year}年{day.month}月{day.day}日起生效的修改，"
                    f"本次修改不能自更早的{effective_on.year}年{effective_on.month}月{effective_on.day}日起生效；"
                    f"请把生效日期选在该日或以后",
                )
    if errors:
        raise RecordError(errors)


# Records that may be deleted from a form: a person's trainings and loans, a facility's special funds. Others are
# closed (撤销, 离岗, 销号) and kept, since the checks and the history name them.
DELETABLE = ("training", "loan", "special_fund")


def delete_record(session: Session, rtype: RecordType, record_id: int, *, user: str) -> None:
    """Delete one record, its values kept in the history."""
    if rtype.key not in DELETABLE:
        raise RecordError({"id": f"{rtype.label}记录不能删除"})
    record: Any = session.get(rtype.model, record_id)  # a record of any type, its fields read by name
    if record is None:
        raise RecordError({"id": f"{rtype.label}记录不存在（编号 {record_id}），可能已被他人删除"})
    old = _snapshot(rtype, record, [f.name for f in rtype.fields])
    session.delete(record)
    session.flush()
    log_change(session, user, rtype.model.__tablename__, record_id, "delete", old, None)


def _lost_race(exc: OperationalError) -> bool:
    """SQLite's SQLITE_BUSY_SNAPSHOT: this transaction read before another connection's write committed, so it
    may not write (WAL). The same lost race as a stale version; a plain lock timeout is not one."""
    return getattr(exc.orig, "sqlite_errorcode", None) == 517


def _conflict(session: Session, rtype: RecordType, record: Any, seen: dict[str, Any]) -> ConflictError:
    """What another clerk changed since the form was opened, field by field, and who did it when."""
    last = session.scalars(
        select(Change)
        .where(Change.table_name == rtype.model.__tablename__, Change.row_id == record.id)
        .order_by(Change.id.desc())
        .limit(1)
    ).first()
    who = f"{last.user}于 {last.at:%Y-%m-%d %H:%M}" if last is not None else "其他人"
    current = {f.name: getattr(record, f.name) for f in rtype.fields}
    for part in rtype.parts:
        current.update(part.empty())
        current.update(part.load(session, [record.id]).get(record.id, {}))
    errors = {
        "_conflict": f"保存被拒绝：在您打开此{rtype.label}记录后，{who}已修改并保存了它。您的修改没有保存，"
        "也没有覆盖对方的修改；表单中已标出对方改动的栏目，请核对后再保存。"
    }
    for f in rtype.all_fields:
        if f.name in seen and seen[f.name] != current[f.name]:
            errors[f.name] = (
                f"{who}已改为“{_shown(session, f, current[f.name])}”（您打开时为“{_shown(session, f, seen[f.name])}”）"
            )
    return ConflictError(errors, current, record.version, who)


def _shown(session: Session, field: Field, value: Any) -> str:
    if field.kind == "ref" and value is not None:
        return Lookups(session).labels(field.refers_to).get(value, "空")
    return field.display(value) or "空"


def _free_text(rtype: RecordType, name: str, raw: str | None) -> str | None:
    """A note given outside a form's fields, checked by its field's description all the same."""
    try:
        parsed: str | None = rtype.field(name).parse(raw)
    except InvalidValue as exc:
        raise RecordError({name: str(exc)}) from None
    return parsed


def strike_off_task(session: Session, task_id: int, note: str, *, user: str, on: dt.date | None = None) -> KeyTask:
    """Strike a task off the ledger; only with a note saying why (挂账销号)."""
    from desktop.records.types import TASK

    if not (note or "").strip():
        raise RecordError({"struck_off_note": "销号必须写明销号说明（完成情况或依据）"})
    why = _free_text(TASK, "struck_off_note", note)
    task = session.get(KeyTask, task_id)
    if task is None:
        raise RecordError({"id": f"重点任务不存在（编号 {task_id}）"})
    old = {"status": task.status, "struck_off_note": task.struck_off_note}
    task.status, task.struck_off_note = "struck_off", why
    session.add(TaskUpdate(task_id=task.id, date=on or dt.date.today(), status="struck_off", note=why))
    session.flush()
    log_change(
        session, user, "key_tasks", task.id, "strike", old, {"status": "struck_off", "struck_off_note": why}, why
    )
    return task


def transfer_staff(
    session: Session, staff_id: int, to_facility_id: int, *, user: str, on: dt.date, reason: str | None = None
) -> StaffMember:
    person = session.get(StaffMember, staff_id)
    target = session.get(Facility, to_facility_id)
    if person is None or target is None:
        raise RecordError({"facility_id": "人员或调入单位不存在"})
    if person.facility_id == to_facility_id:
        raise RecordError({"facility_id": f"{person.name}已在{target.name}工作"})
    old = person.facility_id
    person.facility_id = to_facility_id
    session.flush()
    log_change(
        session,
        user,
        "staff",
        person.id,
        "update",
        {"facility_id": old},
        {"facility_id": to_facility_id},
        reason or f"{on} 调至{target.name}",
    )
    return person


# What a project's progress reports hold and its record carries from the latest of them.
PROJECT_STATE = frozenset({"stage", "progress", "investment_completed"})


def _report_project_state(session: Session, project: Any, day: dt.date) -> None:
    """A project's stage, progress or investment changed in its record (its form, a project ledger imported) is
    its progress report of ``day``: the lists, the checks and the report read a project's state from its latest
    report, and would otherwise go on showing the one before the change. A report of that day already there takes
    the new state; a new one has no note."""
    from db.models import ProjectUpdate

    state = {name: getattr(project, name) for name in PROJECT_STATE}
    same_day = next((u for u in project.updates if u.date == day), None)
    if same_day is None:
        session.add(ProjectUpdate(project_id=project.id, date=day, note=None, **state))
    else:
        for name, value in state.items():
            setattr(same_day, name, value)
    session.flush()


def add_project_update(
    session: Session,
    project_id: int,
    *,
    on: dt.date,
    stage: str,
    progress: float,
    investment_completed: float,
    note: str | None,
    user: str,
) -> None:
    """Record a dated progress report and carry it into the project's current state."""
    from db.models import Project, ProjectUpdate
    from desktop.records.types import PROJECT, PROJECT_UPDATE

    project = session.get(Project, project_id)
    if project is None:
        raise RecordError({"id": f"建设项目不存在（编号 {project_id}）"})
    values = validate(
        PROJECT, {"stage": stage, "progress": progress, "investment_completed": investment_completed}, partial=True
    )
    if any(u.date == on for u in project.updates):
        raise RecordError({"date": f"{on} 已有一条进度，请修改日期"})
    note = _free_text(PROJECT_UPDATE, "note", note)
    session.add(ProjectUpdate(project_id=project_id, date=on, note=note, **values))
    latest = max([u.date for u in project.updates] + [on])
    if on == latest:
        update_record(session, PROJECT, project_id, values, user=user, reason=f"{on} 进度报告", reported=True)
        if values["stage"] in ("completed", "in_use") and project.actual_completion is None:
            update_record(session, PROJECT, project_id, {"actual_completion": on}, user=user, reason="竣工")
    session.flush()


def add_task_update(
    session: Session, task_id: int, *, on: dt.date, status: str, note: str, evidence: str | None, user: str
) -> None:
    from desktop.records.types import TASK, TASK_UPDATE

    if status == "struck_off":
        strike_off_task(session, task_id, note, user=user, on=on)
        return
    if not (note or "").strip():
        raise RecordError({"note": "请填写进展情况"})
    task = session.get(KeyTask, task_id)
    if task is None:
        raise RecordError({"id": f"重点任务不存在（编号 {task_id}）"})
    status = validate(TASK, {"status": status}, partial=True)["status"]
    cleaned, evidence = _free_text(TASK_UPDATE, "note", note), _free_text(TASK_UPDATE, "evidence", evidence)
    session.add(TaskUpdate(task_id=task_id, date=on, status=status, note=cleaned, evidence=evidence))
    if task.status != status:
        update_record(session, TASK, task_id, {"status": status}, user=user, reason=f"{on} 进展更新")
    session.flush()
