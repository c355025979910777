"""Hostile input, generated: every field's parser, the form's validation, the importer on malformed
workbooks and the command line's options either succeed or refuse with a Chinese reason, never crash."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from db import open_database
from desktop.cli import main
from desktop.excel.errors import ExcelError
from desktop.excel.importer import plan_import
from desktop.excel.templates import TEMPLATES, write_template
from desktop.records.editing import RecordError, validate
from desktop.records.types import RECORD_TYPES
from desktop.validators import (
    InvalidValue,
    check_credit_code,
    check_division_code,
    check_id_number,
    check_phone,
)

FIELDS = [f for rtype in RECORD_TYPES.values() for f in rtype.fields]
# What a clerk or a spreadsheet can put in a cell: text of every script, digits, numbers, dates, booleans.
CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.from_regex(r"[0-9Xx*\- ]{0,20}", fullmatch=True),
    st.sampled_from(["是", "否", "正高级", "乡镇卫生院", "2026-09-30", "=1+1", "１２３", "\u3000", "N/A", "#REF!"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def no_lookup(ref: str, text: str) -> int | None:
    return 1 if text == "桃源镇卫生院" else None


@FUZZ
@given(field=st.sampled_from(FIELDS), raw=CELL)
def test_every_field_parses_or_gives_a_chinese_reason(field, raw):
    try:
        field.parse(raw, lookup=no_lookup)
    except InvalidValue as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc)), str(exc)


@FUZZ
@given(text=st.one_of(st.text(max_size=30), st.from_regex(r"[0-9Xx]{15,19}", fullmatch=True)))
def test_the_validators_refuse_garbage_with_a_reason(text):
    for check in (check_id_number, check_phone, check_credit_code, check_division_code):
        try:
            check(text)
        except InvalidValue as exc:
            assert str(exc)


@FUZZ
@given(data=st.data())
def test_a_form_of_any_record_saves_or_names_each_bad_field(data):
    rtype = data.draw(st.sampled_from(list(RECORD_TYPES.values())))
    names = [f.name for f in rtype.editable]
    raw = data.draw(st.dictionaries(st.sampled_from(names), CELL, max_size=len(names)))
    try:
        validate(rtype, raw, lookup=no_lookup, partial=data.draw(st.booleans()))
    except RecordError as exc:
        assert exc.errors and set(exc.errors) <= set(names)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A database with the demo county's norms and a few records, shared by the importer's examples
    (plan_import writes nothing)."""
    path = tmp_path_factory.mktemp("fuzz") / "县 卫健 台账.db"
    db = open_database(path)
    yield db
    db.close()


def workbook_bytes(draw, kind: str) -> bytes:
    spec = TEMPLATES[kind]
    labels = [spec.rtype.field(n).header for n in spec.fields]
    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["数据", "Sheet1", "_隐藏", "人员 名单"]))
    header = draw(st.lists(st.one_of(st.sampled_from(labels), st.text(max_size=8), st.none()), min_size=0, max_size=12))
    ws.append([_cell(v) for v in header])
    for row in draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=12)):
        ws.append([_cell(v) for v in row])
    if draw(st.booleans()):
        meta = wb.create_sheet("_模板信息")
        meta.append(["模板类型", draw(st.sampled_from([*TEMPLATES, "x", ""]))])
        meta.append(["示例行", draw(st.sampled_from(["2", "abc", "", "999999"]))])
    if spec.updates is not None and draw(st.booleans()):
        u = wb.create_sheet(spec.updates.name)
        u.append([spec.updates.rtype.field(n).header for n in spec.updates.fields])
        for row in draw(st.lists(st.lists(CELL, max_size=6), max_size=5)):
            u.append([_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, str):  # openpyxl refuses control characters in a cell; Excel cannot hold them either
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None  # openpyxl cannot write NaN or infinity
    return value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_importer_reports_a_malformed_workbook_and_never_crashes(county, tmp_path_factory, data):
    kind = data.draw(st.sampled_from(list(TEMPLATES)))
    content = workbook_bytes(data.draw, kind)
    damage = data.draw(st.sampled_from(["none", "truncate", "flip", "drop_member"]))
    # Positions as fractions: a workbook's size varies by a few bytes with the time openpyxl stamps in it.
    at = int(data.draw(st.floats(0, 1, exclude_max=True)) * len(content))
    if damage == "truncate":
        content = content[:at]
    elif damage == "flip":
        content = content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]
    elif damage == "drop_member":
        content = _without_member(content, data.draw(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml"])))
    path = tmp_path_factory.mktemp("in") / "乡镇 填报 表.xlsx"
    path.write_bytes(content)
    with county.session() as session:
        try:
            report = plan_import(session, kind, path)
        except ExcelError as exc:
            assert re.search(r"[\u4e00-\u9fff]", str(exc))
            return
        for problem in report.problems:
            assert problem.message and problem.row >= 1
        assert not session.new and not session.dirty  # a plan writes nothing


def _without_member(content: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item))
    return out.getvalue()


def test_a_template_written_by_the_app_imports_cleanly_from_a_path_with_chinese_and_spaces(county, tmp_path):
    folder = tmp_path / "县 卫健局" / "2026年 第三季度"
    for kind in TEMPLATES:
        with county.session() as session:
            path = write_template(session, kind, folder / f"{TEMPLATES[kind].label} 模板.xlsx")
            report = plan_import(session, kind, path)
        assert not report.problems and not report.plans


OPTION = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2026Q3", "2026Q5", "2026", "0", "-1", "２０２６Ｑ３", "2026-09-30", "", " ", "--", "全部"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_command_line_answers_any_option_with_a_message_not_a_traceback(county, tmp_path_factory, data, capsys):
    folder = tmp_path_factory.mktemp("cli 中文 目录")
    db = str(folder / "县 台账.db")
    shutil.copyfile(county.path, db)
    command = data.draw(
        st.sampled_from(
            [
                ["check", "--db", db, "--period"],
                ["indicators", "--db", db, "--year"],
                ["subsidies", "--db", db, "--period"],
                ["norms", "list", "--db", db, "--date"],
                ["export", "staff", "--db", db, "--out", str(folder / "出 表.xlsx"), "--period"],
                ["report", "--db", db, "--out", str(folder / "报告 一.pdf"), "--period"],
                ["template", "staff", "--db", db, "--out"],
                ["import", "staff", str(folder / "不存在 的.xlsx"), "--db", db, "--user"],
                ["backup", "--db", db, "--to"],
                ["restore", str(folder / "不存在.db"), "--db", db, "--yes", "--user"],
                ["info", "--db"],
            ]
        )
    )
    value = data.draw(OPTION)
    if command[-1] in ("--out", "--to"):
        value = str(folder / (re.sub(r"[\x00/\\]", "", value) or "x"))
    here = os.getcwd()
    os.chdir(folder)  # a relative path given as --db must not land in the repository
    try:
        code = main([*command, value])
    except SystemExit as exc:  # argparse's own refusal of an option, with its usage line
        code = exc.code
    finally:
        os.chdir(here)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2), (command, value, code, err)
    if code:
        assert re.search(r"[\u4e00-\u9fff]", err), err
