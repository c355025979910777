"""At city scale names repeat (every county has a 城关街道 and its 社区卫生服务中心): templates still round-trip."""

from __future__ import annotations

import pytest

from db import open_database
from desktop.demo import DemoOptions, write_demo
from desktop.excel.importer import run_import
from desktop.excel.templates import fill_template


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("city") / "city.db")
    write_demo(db, DemoOptions(scale="city"))
    yield db
    db.close()


@pytest.mark.parametrize("kind", ["facilities", "population", "projects", "tasks"])
def test_city_templates_import_back_all_unchanged(city, tmp_path, kind):
    with city.session() as s:
        path = fill_template(s, kind, tmp_path / f"{kind}.xlsx")
    report = run_import(city, kind, path, user="测试", dry_run=True)
    assert report.problems == []
    assert report.count("unchanged") == len(report.plans) > 0
    assert report.count_updates("unchanged") == len(report.update_plans)
