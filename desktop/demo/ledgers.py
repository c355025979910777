"""The demo's construction projects, key-task ledgers and planning indicators."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import resources
from desktop.demo.county import CountyFacts
from desktop.demo.rows import Rows

STAGES_BY_PROGRESS = (
    (0, "preparation"),
    (3, "approval"),
    (8, "design"),
    (15, "tender"),
    (20, "construction"),
    (100, "completed"),
)


def _stage_for(progress: float, kind: str) -> str:
    stage = "preparation"
    for threshold, name in STAGES_BY_PROGRESS:
        if progress >= threshold:
            stage = name
    if kind in ("equipment", "information") and stage == "construction":
        return "tender" if progress < 40 else "construction"
    return stage


def _quarter_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    year, q = start.year, (start.month - 1) // 3 + 1
    while True:
        month = q * 3
        last = dt.date(year, month, 31 if month in (3, 12) else 30)
        if last > end:
            return out
        if last >= start:
            out.append(last)
        q += 1
        if q == 5:
            year, q = year + 1, 1


def add_projects(rows: Rows, rng: random.Random, facts: CountyFacts, as_of: dt.date, count: int = 30) -> None:
    county = facts.name + "县"
    centres = facts.centres
    plans: list[tuple[int, str, str, float]] = [
        (facts.hospital_id, "new_build", f"{county}人民医院急诊急救综合楼建设项目", 12000.0),
        (facts.hospital_id, "equipment", f"{county}人民医院放疗中心设备购置项目", 4800.0),
        (facts.tcm_hospital_id, "extension", f"{county}中医医院传承创新综合楼改扩建项目", 8600.0),
        (facts.mch_id, "relocation", f"{county}妇幼保健院迁建项目", 15000.0),
        (facts.cdc_id, "relocation", f"{county}疾病预防控制中心迁建项目", 6200.0),
        (facts.hospital_id, "information", f"{county}医共体信息化平台建设项目", 1800.0),
    ]
    kinds = ("new_build", "relocation", "extension", "equipment", "information")
    pool = [(c, k) for c in centres for k in kinds if k != "relocation" or rng.random() < 0.3]
    for centre, kind in rng.sample(pool, min(len(pool), count - len(plans))):
        name = rows.get("facilities", centre)["name"]
        label = {
            "new_build": "业务用房新建项目",
            "relocation": "异地新建项目",
            "extension": "业务用房改扩建项目",
            "equipment": "医疗设备购置项目",
            "information": "信息化建设项目",
        }[kind]
        amount = {
            "new_build": (600, 2200),
            "relocation": (1500, 4000),
            "extension": (200, 900),
            "equipment": (60, 400),
            "information": (30, 150),
        }[kind]
        plans.append((centre, kind, name + label, float(rng.randint(*amount))))
    for facility_id, kind, name, total in plans:
        _project(rows, rng, facility_id, kind, name, total, as_of, county)


def _project(
    rows: Rows, rng: random.Random, facility_id: int, kind: str, name: str, total: float, as_of: dt.date, county: str
) -> None:
    start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, (as_of - dt.date(2023, 1, 1)).days - 60))
    months = rng.randint(6, 14) if kind in ("equipment", "information") else rng.randint(12, 36)
    planned_end = start + dt.timedelta(days=int(months * 30.4))
    pace = rng.choice((1.0,) * 7 + (0.85, 0.6, 0.45))  # most on pace, some behind, a few stuck
    lead = rows.get("facilities", facility_id)["name"] if rng.random() < 0.6 else f"{county}卫生健康局"
    project_id = rows.add(
        "projects",
        name=name,
        facility_id=facility_id,
        kind=kind,
        planned_start=start,
        planned_completion=planned_end,
        actual_completion=None,
        stage="preparation",
        progress=0.0,
        investment_completed=0.0,
        lead_unit=lead,
        contact=None,
        phone=f"1{rng.choice('358')}{rng.randint(10**8, 10**9 - 1)}",
        risks=None,
    )
    shares = _funding_split(rng, kind)
    for source, share in shares.items():
        rows.add("project_funding", project_id=project_id, source=source, amount=round(total * share, 1))
    progress = 0.0
    invested = 0.0
    stage = "preparation"
    duration = max(1, (planned_end - start).days)
    for day in _quarter_ends(start, as_of):
        elapsed = min(1.0, (day - start).days / duration)
        target = min(100.0, 100 * elapsed * pace + rng.uniform(-4, 4))
        progress = round(max(progress, min(100.0, target)), 1)
        if elapsed >= 1 and pace == 1.0:
            progress = 100.0
        invested = round(max(invested, total * min(1.0, progress / 100 * rng.uniform(0.85, 1.0))), 1)
        stage = _stage_for(progress, kind)
        if progress >= 100 and rng.random() < 0.5:
            stage = "in_use"
        note = {
            "preparation": "开展前期调研、项目建议书编制",
            "approval": "项目立项批复办理中",
            "design": "初步设计及概算编制",
            "tender": "招标采购程序进行中",
            "construction": f"施工推进，形象进度{progress:.0f}%",
            "completed": "工程竣工，待验收结算",
            "in_use": "已投入使用",
        }[stage]
        rows.add(
            "project_updates",
            project_id=project_id,
            date=day,
            stage=stage,
            progress=progress,
            investment_completed=invested,
            note=note,
        )
        if progress >= 100:
            break
    project = rows.get("projects", project_id)
    project.update(stage=stage, progress=progress, investment_completed=invested)
    if progress >= 100:
        project["actual_completion"] = rows.tables["project_updates"][-1]["date"]
    contact_names = "张李王赵陈杨刘周"
    project["contact"] = rng.choice(contact_names) + rng.choice(("建国", "红梅", "志强", "丽华", "卫东"))
    if pace < 0.7:
        project["risks"] = rng.choice(("资金到位滞后", "用地手续未完成", "施工单位进度滞后", "设计变更"))


def _funding_split(rng: random.Random, kind: str) -> dict[str, float]:
    if kind in ("equipment", "information"):
        options = (("central", "county"), ("provincial", "county", "self_raised"), ("county", "self_raised"))
    else:
        options = (
            ("central", "provincial", "county"),
            ("special_bonds", "county", "self_raised"),
            ("central", "special_bonds", "county"),
            ("provincial", "city", "county"),
        )
    sources = rng.choice(options)
    weights = [rng.uniform(1, 4) for _ in sources]
    total = sum(weights)
    return {s: w / total for s, w in zip(sources, weights, strict=True)}


def add_key_tasks(rows: Rows, rng: random.Random, facts: CountyFacts, as_of: dt.date) -> None:
    county = facts.name + "县"
    for ledger in resources.read_json("demo/key_tasks.json"):
        title = county + ledger["ledger"]
        for spec in ledger["tasks"]:
            _task(rows, rng, title, ledger["source_document"], spec, county, as_of, facts.division_id)


_RESPONSIBLE = (
    "王敏（医政股股长）", "李娟（分管副局长）", "张伟（规划信息股股长）",
    "刘洋（基层卫生股股长）", "陈静（中医股股长）",
)  # fmt: skip


def _localise(text: str, county: str) -> str:
    text = text.replace("蒙自市", county).replace("蒙自", county[:-1])
    return ("县" + text[1:]) if text.startswith("市") else text


def _task(
    rows: Rows, rng: random.Random, ledger: str, source: str, spec: dict, county: str, as_of: dt.date, area: int
) -> None:
    deadline = dt.date.fromisoformat(spec["deadline"])
    started = deadline.replace(year=deadline.year - 1, month=1, day=1)
    roll = rng.random()
    if deadline < as_of:
        status = "done" if roll < 0.7 else ("struck_off" if roll < 0.8 else "in_progress")
    else:
        status = "in_progress" if roll < 0.8 else "not_started"
    note = "经领导小组会议审议，任务已完成，予以销号" if status == "struck_off" else None
    task_id = rows.add(
        "key_tasks",
        division_id=area,
        ledger=ledger,
        number=spec["number"],
        title=_localise(spec["title"], county),
        content=_localise(spec["content"], county),
        source_document=source,
        lead_unit=_localise(spec["lead_unit"], county),
        # picked by the task's title, not the generator's next number: the rest of the county stays as it was
        responsible_person=_RESPONSIBLE[zlib.crc32(spec["title"].encode()) % len(_RESPONSIBLE)],
        deadline=deadline,
        phase=spec["phase"],
        status=status,
        struck_off_note=note,
    )
    for i, unit in enumerate(dict.fromkeys(_localise(u, county) for u in spec["cooperating_units"])):
        rows.add("task_cooperating_units", task_id=task_id, unit=unit, position=i)
    if status == "not_started":
        return
    # Quarterly updates; some tasks stop reporting before the current quarter (stale).
    stop = as_of if rng.random() < 0.75 else as_of - dt.timedelta(days=rng.randint(100, 300))
    dates = _quarter_ends(started, min(stop, as_of))
    finished_on = min(deadline, as_of) if status in ("done", "struck_off") else None
    for k, day in enumerate(dates):
        last = k == len(dates) - 1
        if finished_on and day > finished_on + dt.timedelta(days=92):
            break
        day_status = status if (last or (finished_on and day >= finished_on)) else "in_progress"
        text = {
            "in_progress": "按计划推进，已召开专题会议部署",
            "done": "任务已完成，形成工作总结",
            "struck_off": "任务已完成，申请销号",
        }[day_status if day_status != "not_started" else "in_progress"]
        rows.add(
            "task_updates",
            task_id=task_id,
            date=day - dt.timedelta(days=rng.randint(0, 20)),
            status=day_status,
            note=text,
            evidence=rng.choice((None, "会议纪要", "工作方案文件", "现场照片")),
        )


def add_indicators(rows: Rows, rng: random.Random) -> None:
    """Values for 2021-2025 of the shipped 十四五 plan's entered indicators (every database has the plan, from its
    migration): each row names its indicator by code, which write_demo resolves to the database's id."""
    plan = resources.read_json("plans/14th_five_year_plan.json")
    for spec in plan["indicators"]:
        if spec["computed_by"] or spec["baseline_value"] is None:
            continue
        base, target = spec["baseline_value"], spec["target_value"]
        for year in range(plan["start_year"], plan["end_year"] + 1):
            share = (year - plan["start_year"] + 1) / (plan["end_year"] - plan["start_year"] + 1)
            value = base + (target - base) * share * rng.uniform(0.7, 1.1)
            rows.add("indicator_values", indicator_id=spec["code"], year=year, value=round(value, 2), note=None)
