"""The county profile: whose database this is and who signs what goes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import Change, CountyProfile, Division
from desktop.validators import InvalidValue, check_phone


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
    division_id: int | None = None,
) -> dict[str, str]:
    """Save the profile; returns {field: reason} for what is wrong (and saves nothing then)."""
    errors: dict[str, str] = {}
    if not (bureau_name or "").strip():
        errors["bureau_name"] = "填报单位不能为空"
    if phone:
        try:
            phone = check_phone(phone)
        except InvalidValue as exc:
            errors["phone"] = str(exc)
    if errors:
        return errors
    p = session.get(CountyProfile, 1)
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
    session.add(
        Change(
            at=dt.datetime.now(),
            user=user,
            table_name="county_profile",
            row_id=1,
            action="update" if old else "insert",
            old_values=old,
            new_values=new,
        )
    )
    return {}
