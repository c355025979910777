"""Templates the townships fill in: columns from the one record description, with drop-downs and notes; blank, or
with the database's records in them (fill_template) for a township to correct and send back."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.files import written_whole
from db.models import Facility
from desktop.excel.cells import put
from desktop.excel.layout import display_width
from desktop.records.fields import Field
from desktop.records.references import Lookups
from desktop.records.types import (
    DIVISION,
    FACILITY,
    INDICATOR,
    LOAN,
    PLAN,
    POPULATION,
    PROJECT,
    PROJECT_UPDATE,
    SPECIAL_FUND,
    STAFF,
    TASK,
    TASK_UPDATE,
    TRAINING,
    RecordType,
)

TEMPLATE_VERSION = 1
META_SHEET = "_模板信息"
LISTS_SHEET = "_选项"
DATA_SHEET = "数据"
EXAMPLE_ROW = 2
FIRST_DATA_ROW = 3

HEADER_FONT = Font(name="宋体", bold=True, size=10.5)
EXAMPLE_FONT = Font(name="宋体", italic=True, color="808080", size=10.5)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")


@dataclass(frozen=True)
class UpdatesSheet:
    """A second sheet of dated progress reports (projects, tasks)."""

    name: str
    rtype: RecordType
    fields: tuple[str, ...]
    example: dict[str, str]


@dataclass(frozen=True)
class TemplateKind:
    key: str
    label: str
    rtype: RecordType
    # The columns, in order: every field the record's description lets a clerk give, unless named here.
    fields: tuple[str, ...] | None
    example: dict[str, str]
    updates: UpdatesSheet | None = None

    def __post_init__(self) -> None:
        if self.fields is None:
            object.__setattr__(self, "fields", tuple(f.name for f in self.rtype.editable))


TEMPLATES = {
    "facilities": TemplateKind(
        "facilities",
        "机构",
        FACILITY,
        None,
        {
            "name": "桃源镇新村村卫生室",
            "kind": "村卫生室",
            "division_id": "桃源镇/新村村",
            "lead_facility_id": "桃源镇卫生院",
            "ownership": "公立",
            "building_ownership": "公有产权",
            "status": "运营",
            "open_beds": "0",
            "provides_tcm": "是",
            "standardised": "是",
            "phone": "13812345678",
            "service_area": "新村村、石坪村",
            "equipment_checkup_machine": "1",
            "equipment_simple_resuscitator": "1",
        },
    ),
    "staff": TemplateKind(
        "staff",
        "人员",
        STAFF,
        None,
        {
            "name": "李华",
            "id_number": "110105********002X",
            "facility_id": "桃源镇卫生院",
            "category": "执业医师",
            "practice_category": "临床",
            "title": "中级",
            "education": "大学本科",
            "education_full_time": "是",
            "employment_form": "在编",
            "hire_date": "2012-08-01",
            "status": "在岗",
        },
    ),
    "population": TemplateKind(
        "population",
        "人口",
        POPULATION,
        None,
        {"division_id": "桃源镇/新村村", "year": "2026", "resident": "1520", "rural": "1430"},
    ),
    "projects": TemplateKind(
        "projects",
        "建设项目",
        PROJECT,
        None,
        {
            "name": "桃源镇卫生院业务用房改扩建项目",
            "facility_id": "桃源镇卫生院",
            "kind": "改扩建",
            "planned_start": "2026-03-01",
            "planned_completion": "2027-06-30",
            "stage": "在建",
            "progress": "35",
            "investment_completed": "120",
            "lead_unit": "县卫生健康局",
            "funding_central": "300",
            "funding_county": "80",
            "funding_self_raised": "20",
        },
        UpdatesSheet(
            "进度",
            PROJECT_UPDATE,
            ("project_id", "date", "stage", "progress", "investment_completed", "note"),
            {
                "project_id": "桃源镇卫生院业务用房改扩建项目",
                "date": "2026-09-30",
                "stage": "在建",
                "progress": "35",
                "investment_completed": "120",
                "note": "主体结构封顶",
            },
        ),
    ),
    "tasks": TemplateKind(
        "tasks",
        "重点任务",
        TASK,
        None,
        {
            "ledger": "深化医药卫生体制改革重点工作任务清单",
            "number": "（一）",
            "title": "推进紧密型县域医共体建设",
            "lead_unit": "县卫生健康局",
            "responsible_person": "王敏（医政股股长）",
            "cooperating_units": "县财政局、县人社局",
            "deadline": "2026-12-31",
            "status": "推进中",
        },
        UpdatesSheet(
            "进展",
            TASK_UPDATE,
            ("task_id", "date", "status", "note", "evidence"),
            {
                "task_id": "深化医药卫生体制改革重点工作任务清单/（一）",
                "date": "2026-09-30",
                "status": "推进中",
                "note": "召开专题会议部署",
                "evidence": "会议纪要",
            },
        ),
    ),
}

TEMPLATES.update(
    {
        kind.key: kind
        for kind in (
            TemplateKind(
                "divisions",
                "行政区划",
                DIVISION,
                ("parent_id", "name", "kind", "code", "remote"),
                {"parent_id": "桃源镇", "name": "新村村", "kind": "行政村", "code": "430922101001", "remote": "否"},
            ),
            TemplateKind(
                "trainings",
                "培训进修",
                TRAINING,
                None,
                {
                    "staff_id": "李华/110105********002X",
                    "kind": "在岗培训",
                    "start_date": "2026-04-08",
                    "end_date": "2026-04-10",
                    "days": "3",
                    "place": "县人民医院",
                    "free_of_charge": "是",
                },
            ),
            TemplateKind(
                "loans",
                "借用人员",
                LOAN,
                None,
                {
                    "staff_id": "李华/110105********002X",
                    "from_facility_id": "桃源镇卫生院",
                    "to_unit": "县卫生健康局",
                    "start_date": "2026-03-01",
                    "reason": "借调参加医共体建设工作专班",
                },
            ),
            TemplateKind(
                "special_funds",
                "专项资金",
                SPECIAL_FUND,
                None,
                {"facility_id": "桃源镇卫生院", "year": "2026", "amount": "45", "note": "设备购置"},
            ),
            TemplateKind(
                "plans",
                "规划",
                PLAN,
                None,
                {
                    "name": "十五五",
                    "start_year": "2026",
                    "end_year": "2030",
                    "source": "《××县“十五五”卫生健康事业发展规划》",
                },
            ),
            TemplateKind(
                "indicators",
                "规划指标",
                INDICATOR,
                None,
                {
                    "plan_id": "十五五",
                    "domain": "卫生资源",
                    "name": "每千人口医疗卫生机构床位数",
                    "unit": "张",
                    "baseline_year": "2025",
                    "baseline_value": "6.6",
                    "target_year": "2030",
                    "target_value": "7.5",
                    "direction": "不低于",
                    "attribute": "预期性",
                    "computed_by": "每千人口医疗卫生机构床位数",
                    "source": "主要发展指标表",
                },
            ),
        )
    }
)


def header_text(field: Field) -> str:
    return field.header + ("*" if field.required else "")


def field_note(field: Field) -> str:
    kinds = {
        "text": "文字",
        "int": "整数",
        "float": "数字",
        "date": "日期，如 2024-03-01",
        "bool": "填“是”或“否”",
        "code": "从下拉列表中选择",
        "id_number": "18位身份证号码（文本格式）。已有人员的号码只显示前6位和后4位，原样保留即可；"
        "新增人员请填写完整号码",
        "credit_code": "18位统一社会信用代码",
        "phone": "手机号或带区号的固定电话",
        "division_code": "12位数字（文本格式）",
        "ref": "从下拉列表中选择" if field.ref != "staff" else "姓名/身份证号码",
        "refs": "多个名称，用顿号（、）分隔",
        "texts": "多个名称，用顿号（、）分隔",
    }
    kind = kinds[field.kind]
    if field.kind == "phone" and field.sensitive:
        kind += "。导出的已有号码隐去中间4位，原样保留即可"
    lines = [f"{field.label}：{kind}" + ("（必填）" if field.required else "")]
    if field.unit:
        lines.append(f"单位：{field.unit}")
    if field.note:
        lines.append(field.note)
    return "\n".join(lines)


def _choices(session: Session, field: Field, lookups: Lookups) -> list[str] | None:
    """A column's drop-down: allowed values, or the records in force by the very names the import reads."""
    if field.kind == "code":
        return list(field.codes.values())
    if field.kind == "bool":
        return ["是", "否"]
    if field.kind != "ref" or field.ref == "staff":  # thousands of people: typed, not picked
        return None
    labels = lookups.labels(field.ref)
    if field.ref == "facility":
        closed = set(session.scalars(select(Facility.id).where(Facility.status == "closed")))
        return [label for fid, label in sorted(labels.items()) if fid not in closed]
    if field.ref == "division":
        rows = lookups.tree.rows  # no longer offered to new records once withdrawn
        kinds = field.ref_kinds or tuple(r.kind for r in rows.values())
        return [
            label
            for did, label in sorted(labels.items(), key=lambda item: rows[item[0]].code)
            if rows[did].withdrawn_on is None and rows[did].kind in kinds
        ]
    return [label for _id, label in sorted(labels.items())]


def write_template(session: Session, kind: str, out: str | os.PathLike[str], *, county_code: str | None = None) -> Path:
    """The blank template of ``kind``, written whole to ``out``."""
    out = Path(out)
    wb = template_workbook(session, kind, county_code=county_code)
    with written_whole(out) as partial:
        wb.save(partial)
    return out


def template_workbook(session: Session, kind: str, *, county_code: str | None = None) -> Workbook:
    """The template of ``kind`` as a workbook (its data sheet, drop-down lists and hidden metadata); the county
    code it carries is the profile's unless given."""
    if county_code is None:
        from desktop.profile import load_profile

        county_code = load_profile(session).division_code or ""
    spec = TEMPLATES[kind]
    fields = [spec.rtype.field(name) for name in spec.fields]
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for i, row in enumerate(
        (
            ("模板类型", spec.key),
            ("模板版本", TEMPLATE_VERSION),
            ("示例行", EXAMPLE_ROW),
            ("数据起始行", FIRST_DATA_ROW),
            ("区划代码", county_code),
            ("生成日期", dt.date.today().isoformat()),
        ),
        1,
    ):
        put(meta, i, 1, row[0])
        put(meta, i, 2, row[1])

    state = {"list_column": 0, "lookups": Lookups(session)}
    _write_columns(session, ws, fields, spec.example, lists, state)
    if spec.updates is not None:
        updates = wb.create_sheet(spec.updates.name, 1)
        u_fields = [spec.updates.rtype.field(name) for name in spec.updates.fields]
        _write_columns(session, updates, u_fields, spec.updates.example, lists, state)
        put(meta, meta.max_row + 1, 1, "进度工作表")
        put(meta, meta.max_row, 2, spec.updates.name)
    return wb


def _local_example(fields: list[Field], example: dict[str, str], lookups: Lookups) -> dict[str, str]:
    """The example row in the county's own names where it has them (its townships, villages, facilities and
    people), so a clerk's first lookup is of a name she knows; the generic example where it has none yet."""
    out = dict(example)
    tree = lookups.tree
    for f in fields:
        if f.name not in out or f.kind not in ("ref", "refs") or f.ref in ("project", "task"):
            continue
        labels = lookups.labels(f.ref)
        if f.ref == "division":
            village = "/" in out[f.name] or f.kind == "refs"
            wanted = (f.ref_kinds or ()) if f.ref_kinds else (("village", "community") if village else ("township",))
            live = [i for i, r in sorted(tree.rows.items(), key=lambda x: x[1].code) if r.withdrawn_on is None]
            ids = [i for i in live if tree.rows[i].kind in wanted]
            if f.name == "parent_id":  # a village's township
                ids = [i for i in live if tree.rows[i].kind in ("township", "street")]
        else:
            ids = sorted(labels)
        if not ids:
            continue
        if f.kind == "refs":
            out[f.name] = "、".join(tree.rows[i].name for i in ids[:2])
        else:
            out[f.name] = labels[ids[0]]
    return out


def _write_columns(session: Session, ws, fields: list[Field], example_values: dict[str, str], lists, state) -> None:
    """Headers with notes, the example row, text formats and drop-downs for one sheet of a template."""
    example_values = _local_example(fields, example_values, state["lookups"])
    for j, field in enumerate(fields, 1):
        letter = get_column_letter(j)
        cell = put(ws, 1, j, header_text(field))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if field.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
        cell.comment = Comment(field_note(field), "县域卫生健康台账", width=260, height=110)
        example = put(ws, EXAMPLE_ROW, j, example_values.get(field.name))
        example.font = EXAMPLE_FONT
        width = max(display_width(header_text(field)), display_width(example_values.get(field.name, ""))) + 3
        ws.column_dimensions[letter].width = min(max(width, 10), 40)
        if field.kind in ("id_number", "credit_code", "phone", "division_code", "text", "ref", "refs", "texts", "code"):
            for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 2000):  # text format, so Excel keeps 18 digits
                ws.cell(row=r, column=j).number_format = "@"
        choices = _choices(session, field, state["lookups"])
        if choices:
            state["list_column"] += 1
            list_column = state["list_column"]
            list_letter = get_column_letter(list_column)
            put(lists, 1, list_column, field.label)
            for i, choice in enumerate(choices, 2):  # facility and township names: user text
                put(lists, i, list_column, choice)
            dv = DataValidation(
                type="list",
                formula1=f"='{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(choices) + 1}",
                allow_blank=not field.required,
                showErrorMessage=field.kind != "ref",  # a new facility or village may not be in the list yet
                errorTitle="请从下拉列表中选择",
                error=f"“{field.label}”只能填写下拉列表中的值",
            )
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + 5000}")
            ws.add_data_validation(dv)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.row_dimensions[1].height = 32
    put(
        ws,
        EXAMPLE_ROW,
        len(fields) + 1,
        "← 示例行（导入时忽略），请从下一行开始填写；已登记的记录，留空的单元格保留原有内容",
    ).font = EXAMPLE_FONT


def fill_template(session: Session, kind: str, out: str | Path, *, unmask: bool = False) -> Path:
    """The template with the database's current records (and their progress reports) filled in, for a
    township to correct and send back. ID and phone numbers are masked unless ``unmask`` (recorded);
    the import puts a masked number back from the record its row matches."""

    spec = TEMPLATES[kind]
    if unmask:
        from desktop.records.privacy import note_unmasked_file

        note_unmasked_file(session, f"{spec.label}模板", Path(out).name)
    wb = template_workbook(session, kind)
    _fill(session, spec, wb, unmask)
    with written_whole(out, private=unmask) as partial:  # whole numbers: for its owner alone
        wb.save(partial)
    return Path(out)


def _fill(session: Session, spec: TemplateKind, wb: Workbook, unmask: bool) -> None:
    lookups = Lookups(session)
    sheets = [(wb[DATA_SHEET], spec.rtype, spec.fields)]
    if spec.updates is not None:
        sheets.append((wb[spec.updates.name], spec.updates.rtype, spec.updates.fields))
    labels: dict[str, dict[int, str]] = {}
    for ws, rtype, names in sheets:
        fields = [rtype.field(n) for n in names]
        for f in fields:
            if f.kind in ("ref", "refs") and f.ref not in labels:
                labels[f.ref] = lookups.labels(f.ref, unmask=unmask)
        model = rtype.model
        own = [f for f in fields if rtype.part_of(f.name) is None]
        rows = session.execute(select(model.id, *[getattr(model, f.name) for f in own]).order_by(model.id)).all()
        parts = {part.key: part.load(session, None) for part in rtype.parts}
        for i, row in enumerate(rows):
            values = dict(zip([f.name for f in own], row[1:], strict=True))
            for part in rtype.parts:
                values.update(part.empty())
                values.update(parts[part.key].get(row[0], {}))
            for j, f in enumerate(fields, 1):
                put(ws, FIRST_DATA_ROW + i, j, _cell_text(f, values.get(f.name), labels, unmask))


def _cell_text(f: Field, value: Any, labels: dict[str, dict[int, str]], unmask: bool) -> Any:
    if value is None:
        return None
    if f.kind == "ref":
        return labels[f.ref].get(value)
    if f.kind == "refs":
        return "、".join(labels[f.ref].get(v, "") for v in value) or None
    if f.kind in ("int", "float", "date"):
        return value  # numbers as numbers, dates as real Excel dates
    return f.display(value, unmask=unmask)
