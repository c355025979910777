"""What each parameter of a norm is called and counted in, wherever a clerk reads or changes one: the settings
page, its dialog, the report's appendix. A rule's parameters are stored under short keys; none of them is shown."""

from __future__ import annotations

from typing import Any

from db.codes import EQUIPMENT, INDICATOR_COMPUTATION, STAFF_CATEGORY

# The county ratios a rule may judge: their names and units (the checks word their findings with these too).
INDICATOR_NAMES = INDICATOR_COMPUTATION
INDICATOR_UNITS = {
    "beds_per_1000": "张/千人",
    "physicians_per_1000": "人/千人",
    "nurses_per_1000": "人/千人",
    "gps_per_10000": "人/万人",
    "public_health_staff_per_1000": "人/千人",
    "tcm_beds_per_10000": "张/万人",
    "tcm_physicians_per_10000": "人/万人",
    "psychiatrists_per_100000": "人/十万人",
    "private_bed_share": "%",
}

# key -> (name, unit); a unit of None is the rule's own (a ratio's target is in its indicator's unit)
PARAMETERS: dict[str, tuple[str, str | None]] = {
    "per_1000_low": ("每千乡村人口床位下限", "张"),
    "per_1000_high": ("每千乡村人口床位上限", "张"),
    "floor": ("最低床位数", "张"),
    "cap": ("一般卫生院床位封顶", "张"),
    "cap_central": ("中心卫生院床位封顶", "张"),
    "indicator": ("指标", ""),
    "min": ("目标值（不低于）", None),
    "max": ("上限", None),
    "min_share": ("比例不低于", "%"),
    "min_count": ("至少配备", "名"),
    "items": ("必备设备", ""),
    "max_age": ("年龄上限", "周岁"),
    "categories": ("适用人员类别", ""),
    "min_sessions": ("每年培训不少于", "次"),
    "min_days": ("累计不少于", "天"),
    "within_years": ("期限", "年"),
    "max_months": ("借用期不超过", "个月"),
    "margin_points": ("进度落后不超过", "个百分点"),
    "monthly_yuan": ("每人每月补贴", "元"),
    "max_residents": ("行政村常住人口不超过", "人"),
}

# Parameters that name things (equipment, categories, an indicator) rather than count them: shown, not typed.
NAMING = frozenset({"indicator", "items", "categories"})


def unit_of(rule_id: str, key: str, params: dict[str, Any]) -> str:
    _name, unit = PARAMETERS.get(key, (key, ""))
    if unit is not None:
        return unit
    if "indicator" in params:
        return INDICATOR_UNITS.get(params["indicator"], "")
    return "万元" if rule_id == "thc_special_funds" else ""


def label_of(rule_id: str, key: str, params: dict[str, Any]) -> str:
    """A parameter as a form labels it: 最低床位数（张）."""
    name = PARAMETERS.get(key, (key, ""))[0]
    unit = unit_of(rule_id, key, params)
    return f"{name}（{unit}）" if unit else name


def shown(key: str, value: Any) -> str:
    """A parameter's value as a clerk reads it: numbers plain, named things by their Chinese names."""
    if key == "indicator":
        return INDICATOR_NAMES.get(value, str(value))
    if key == "items":
        return "、".join(EQUIPMENT.get(v, str(v)) for v in value)
    if key == "categories":
        return "、".join(STAFF_CATEGORY.get(v, str(v)) for v in value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def parameters_text(rule_id: str, params: dict[str, Any]) -> str:
    """Every parameter of a rule in one line: 每千乡村人口床位下限0.6张，每千乡村人口床位上限1.2张，…"""
    parts = []
    for key, value in params.items():
        name = PARAMETERS.get(key, (key, ""))[0]
        unit = unit_of(rule_id, key, params)
        text = shown(key, value)
        parts.append(f"{name}：{text}" if key in NAMING else f"{name}{text}{unit}")
    return "；".join(parts)


def typed(key: str, text: str, old: Any) -> Any:
    """A number a clerk typed for a parameter, as the rule stores it; ValueError with a Chinese reason if not."""
    cleaned = text.strip().replace("，", "").replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{PARAMETERS.get(key, (key, ''))[0]}”应填写数字，现为“{text}”") from None
    if value < 0:
        raise ValueError(f"“{PARAMETERS.get(key, (key, ''))[0]}”不能为负数")
    if isinstance(old, int) and not isinstance(old, bool):
        if not value.is_integer():
            raise ValueError(f"“{PARAMETERS.get(key, (key, ''))[0]}”应为整数，现为“{text}”")
        return int(value)
    return value
