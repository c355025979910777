"""The county profile: whose database this is and who signs what goes out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CountyProfile, Division, FormBlock
from desktop.records.editing import log_change
from desktop.validators import InvalidValue, check_division_code, check_phone, check_text


@dataclass
class Profile:
    division_id: int | None
    area_name: str | None
    division_code: str | None
    bureau_name: str
    head_of_unit: str | None
    preparer: str | None
    phone: str | None
    doc_prefix: str | None = None  # 机关代字 of the report's 发文字号
    report_addressee: str | None = None  # the report's 主送机关

    def doc_number_for(self, period_year: int) -> str:
        """The report's 发文字号 with its number left to be written in (the office gives it)."""
        return f"{self.doc_prefix}〔{period_year}〕　　号" if self.doc_prefix else ""


def load_profile(session: Session) -> Profile:
    p = session.get(CountyProfile, 1)
    if p is None:
        return Profile(None, None, None, "", None, None, None)
    area = session.get(Division, p.division_id) if p.division_id else None
    return Profile(
        p.division_id,
        area.name if area else None,
        area.code if area else None,
        p.bureau_name,
        p.head_of_unit,
        p.preparer,
        p.phone,
        p.doc_prefix,
        p.report_addressee,
    )


def save_profile(  # noqa: C901, PLR0915
    session: Session,
    *,
    bureau_name: str,
    head_of_unit: str | None,
    preparer: str | None,
    phone: str | None,
    user: str,
    area_name: str | None = None,
    division_code: str | None = None,
    doc_prefix: str | None = None,
    report_addressee: str | None = None,
) -> dict[str, str]:
    """Save the profile; returns {field: reason} for what is wrong (and saves nothing then). The report's
    letterhead (``doc_prefix``, ``report_addressee``) is left as it is when not given.

    The county (or city) itself is a division: given its name and code, the profile's division is
    created, or renamed and re-coded.
    """
    errors: dict[str, str] = {}
    code = None
    if division_code:
        code = division_code.strip()
        try:
            if check_division_code(code) not in ("county", "city"):
                errors["division_code"] = "请填写本县（市、区）或本市的行政区划代码，如 530102"
            code = (code + "000000")[:12]
        except InvalidValue as exc:
            errors["division_code"] = str(exc)
    if code and not (area_name or "").strip():
        errors["area_name"] = "请填写地区名称，如 清溪县"
    if not (bureau_name or "").strip():
        errors["bureau_name"] = "填报单位不能为空"
    if phone:
        try:
            phone = check_phone(phone)
        except InvalidValue as exc:
            errors["phone"] = str(exc)
    labels = {
        "bureau_name": "填报单位",
        "head_of_unit": "单位负责人",
        "preparer": "填表人",
        "area_name": "地区名称",
        "doc_prefix": "机关代字",
        "report_addressee": "主送机关",
    }
    given = {"bureau_name": bureau_name, "head_of_unit": head_of_unit, "preparer": preparer, "area_name": area_name}
    letterhead = {"doc_prefix": (doc_prefix, 20), "report_addressee": (report_addressee, 100)}
    for name, (text, size) in letterhead.items():
        if text is not None:
            given[name] = text
            if len(text.strip()) > size:
                errors[name] = f"“{labels[name]}”最多 {size} 个字，现为 {len(text.strip())} 个字"
    for name, text in given.items():  # they head every form the county sends
        try:
            check_text((text or "").strip(), labels[name])
        except InvalidValue as exc:
            errors.setdefault(name, str(exc))
    if errors:
        return errors
    p = session.get(CountyProfile, 1)
    division_id = p.division_id if p else None
    if code:
        clash = session.scalar(select(Division).where(Division.code == code))
        if clash is not None and clash.id != division_id:
            if division_id is None:
                division_id = clash.id  # the county is already among the divisions: point at it
            else:
                return {"division_code": f"行政区划代码 {code} 已被“{clash.name}”使用"}
        if division_id is None:
            area = Division(code=code, name=area_name.strip(), kind="county" if code[4:6] != "00" else "city")
            session.add(area)
            session.flush()
            division_id = area.id
        else:
            area = session.get(Division, division_id)
            area.code, area.name = code, area_name.strip()
    new = {
        "bureau_name": bureau_name.strip(),
        "head_of_unit": (head_of_unit or "").strip() or None,
        "preparer": (preparer or "").strip() or None,
        "phone": phone or None,
    }
    for name, (text, _size) in letterhead.items():
        if text is not None:
            new[name] = text.strip().removesuffix("：").removesuffix(":") or None
    if division_id is not None:
        new["division_id"] = division_id
    if p is None:
        p = CountyProfile(id=1, **new)
        session.add(p)
        old = None
    else:
        old = {k: getattr(p, k) for k in new}
        for k, v in new.items():
            setattr(p, k, v)
    session.flush()
    log_change(session, user, "county_profile", 1, "update" if old else "insert", old, new)
    return {}


# The block a statistical form carries at its top right, in the order forms print it; the labels are four
# characters wide (表　　号 with ideographic spaces), as the forms align them.
FORM_BLOCK_FIELDS = (
    ("form_number", "表　　号", 40),
    ("issued_by", "制定机关", 100),
    ("approval_number", "批准文号", 100),
    ("valid_until", "有效期至", 20),
)


def form_blocks(session: Session) -> dict[str, dict[str, str]]:
    """Each sheet's block where it has one: {sheet key: {field: text}}, only the fields given."""
    out = {}
    for block in session.scalars(select(FormBlock)):
        given = {name: getattr(block, name) for name, _label, _size in FORM_BLOCK_FIELDS if getattr(block, name)}
        if given:
            out[block.sheet] = given
    return out


def form_block_lines(given: dict[str, str]) -> list[str]:
    """The block as a sheet prints it: 表　　号：卫健统1表 …"""
    return [f"{label}：{given[name]}" for name, label, _size in FORM_BLOCK_FIELDS if given.get(name)]


def save_form_block(session: Session, sheet: str, values: dict[str, str | None], *, user: str) -> dict[str, str]:
    """Set a sheet's block (blank fields: none; all blank: the sheet carries no block); returns {field: reason}
    for what is wrong, and saves nothing then."""
    errors: dict[str, str] = {}
    new: dict[str, str | None] = {}
    for name, label, size in FORM_BLOCK_FIELDS:
        text = (values.get(name) or "").strip()
        try:
            text = check_text(text, label.replace("　", ""))
        except InvalidValue as exc:
            errors[name] = str(exc)
            continue
        if len(text) > size:
            errors[name] = f"“{label.replace('　', '')}”最多 {size} 个字，现为 {len(text)} 个字"
        new[name] = text or None
    if errors:
        return errors
    block = session.scalar(select(FormBlock).where(FormBlock.sheet == sheet))
    old = {name: getattr(block, name) for name in new} if block is not None else None
    if old == new:
        return {}
    if block is None:
        block = FormBlock(sheet=sheet, **new)
        session.add(block)
    else:
        for name, text in new.items():
            setattr(block, name, text)
    session.flush()
    logged = {"sheet": sheet, **new}
    log_change(session, user, "form_blocks", block.id, "update" if old else "insert", old, logged)
    return {}
