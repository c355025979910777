"""The county profile: whose database this is and who signs what goes out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CountyProfile, Division
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
    )


def save_profile(
    session: Session,
    *,
    bureau_name: str,
    head_of_unit: str | None,
    preparer: str | None,
    phone: str | None,
    user: str,
    area_name: str | None = None,
    division_code: str | None = None,
) -> dict[str, str]:
    """Save the profile; returns {field: reason} for what is wrong (and saves nothing then).

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
    labels = {"bureau_name": "填报单位", "head_of_unit": "单位负责人", "preparer": "填表人", "area_name": "地区名称"}
    given = {"bureau_name": bureau_name, "head_of_unit": head_of_unit, "preparer": preparer, "area_name": area_name}
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
