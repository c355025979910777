"""Development plans (十四五, 十五五) as data: each planning indicator belongs to a plan with its years.

Indicators already held (the demo's, a bureau's) become the 十四五 plan's; a database without any gets seed 003's
table as the 十四五 plan (resources/plans/14th_five_year_plan.json). An indicator's code is unique within its plan.

The resource-ratio checks now take their thresholds from the plan in force, so the ratio norms' own ``min`` is
dropped: where a version's ``min`` was not the 十四五 target of its indicator (a bureau's own), the change
history keeps what it was.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Connection

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

PLAN = "十四五"
RATIO_RULES = (
    "ratio_beds",
    "ratio_physicians",
    "ratio_nurses",
    "ratio_gps",
    "ratio_public_health_staff",
    "ratio_tcm_beds",
    "ratio_tcm_physicians",
    "ratio_psychiatrists",
    "ratio_private_beds",
)
COMPUTED = ", ".join(  # as desktop computes them when this was written (db.codes.INDICATOR_COMPUTATION)
    f"'{code}'"
    for code in (
        "beds_per_1000",
        "physicians_per_1000",
        "nurses_per_1000",
        "gps_per_10000",
        "public_health_staff_per_1000",
        "tcm_beds_per_10000",
        "tcm_physicians_per_10000",
        "psychiatrists_per_100000",
        "private_bed_share",
    )
)
COLUMNS = (
    "code",
    "name",
    "domain",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "attribute",
    "direction",
    "computed_by",
    "source",
)


def upgrade() -> None:
    from resources import read_json

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_plans_name_not_blank")),
        sa.CheckConstraint("end_year >= start_year", name=op.f("ck_plans_years_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("name", name=op.f("uq_plans_name")),
    )
    shipped = read_json("plans/14th_five_year_plan.json")
    conn = op.get_bind()
    conn.execute(
        # no id given: PostgreSQL's sequence gives it, so the next plan's id does not collide
        sa.text("INSERT INTO plans (name, start_year, end_year, source) VALUES (:name, :start, :end, :source)"),
        {"name": shipped["name"], "start": shipped["start_year"], "end": shipped["end_year"], "source": shipped["source"]},
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
    plan_id = conn.execute(sa.text("SELECT id FROM plans WHERE name = :name"), {"name": shipped["name"]}).scalar()
    conn.execute(sa.text("UPDATE indicators SET plan_id = :plan"), {"plan": plan_id})
    if not conn.execute(sa.text("SELECT count(*) FROM indicators")).scalar():
        names = ", ".join(COLUMNS)
        marks = ", ".join(f":{c}" for c in COLUMNS)
        for position, spec in enumerate(shipped["indicators"]):
            conn.execute(
                sa.text(f"INSERT INTO indicators (plan_id, position, {names}) VALUES (:plan, :position, {marks})"),
                {"plan": plan_id, "position": position, **{c: spec[c] for c in COLUMNS}},
            )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.alter_column("plan_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_indicators_code", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_indicators_plan_id_code"), ["plan_id", "code"])
        batch_op.create_index(batch_op.f("ix_indicators_plan_id"), ["plan_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_indicators_plan_id_plans"), "plans", ["plan_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_check_constraint(batch_op.f("ck_indicators_computed_by"), f"computed_by IN ({COMPUTED})")
    _drop_ratio_minimums(conn, {spec["computed_by"]: spec["target_value"] for spec in shipped["indicators"]})


def _drop_ratio_minimums(conn: Connection, targets: dict[Any, Any]) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT v.id, r.key, v.params, v.effective_from FROM norm_versions v JOIN norm_rules r ON r.id = v.rule_id "
            "WHERE r.key IN (" + ", ".join(f"'{k}'" for k in RATIO_RULES) + ")"
        )
    ).all()
    for version_id, key, params, effective_from in rows:
        params = json.loads(params) if isinstance(params, str) else dict(params)
        if "min" not in params:
            continue
        minimum = params.pop("min")
        conn.execute(
            sa.text("UPDATE norm_versions SET params = :params WHERE id = :id"),
            {"params": json.dumps(params, ensure_ascii=False), "id": version_id},
        )
        if minimum != targets.get(params.get("indicator")):
            conn.execute(
                sa.text(
                    "INSERT INTO changes (at, \"user\", table_name, row_id, action, old_values, new_values, reason) "
                    "VALUES (:at, '升级', 'norm_versions', :id, 'update', :old, :new, :reason)"
                ),
                {
                    "at": dt.datetime.now(),
                    "id": version_id,
                    "old": json.dumps({"min": minimum}, ensure_ascii=False),
                    "new": json.dumps({}, ensure_ascii=False),
                    "reason": f"{key}（{effective_from}起）的目标值{minimum}不再由核查规则给出，改由规划指标的目标值给出",
                },
            )


def downgrade() -> None:
    conn = op.get_bind()
    found = conn.execute(
        sa.text(
            "SELECT computed_by, target_value FROM indicators WHERE computed_by IS NOT NULL AND plan_id = "
            f"(SELECT min(id) FROM plans WHERE name = '{PLAN}')"
        )
    ).all()
    targets: dict[Any, Any] = {computed_by: target for computed_by, target in found}
    rows = conn.execute(
        sa.text(
            "SELECT v.id, v.params FROM norm_versions v JOIN norm_rules r ON r.id = v.rule_id "
            "WHERE r.key IN (" + ", ".join(f"'{k}'" for k in RATIO_RULES) + ")"
        )
    ).all()
    for version_id, params in rows:
        params = json.loads(params) if isinstance(params, str) else dict(params)
        params.setdefault("min", targets.get(params.get("indicator")))
        conn.execute(
            sa.text("UPDATE norm_versions SET params = :params WHERE id = :id"),
            {"params": json.dumps(params, ensure_ascii=False), "id": version_id},
        )
    conn.execute(sa.text(f"DELETE FROM indicators WHERE plan_id != (SELECT min(id) FROM plans WHERE name = '{PLAN}')"))
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_indicators_computed_by"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_indicators_plan_id_plans"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_indicators_plan_id"))
        batch_op.drop_constraint(batch_op.f("uq_indicators_plan_id_code"), type_="unique")
        batch_op.create_unique_constraint("uq_indicators_code", ["code"])
        batch_op.drop_column("plan_id")
    op.drop_table("plans")
