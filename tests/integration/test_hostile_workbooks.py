"""Workbooks that are small on disk but would make the reader take gigabytes (or abort the process, and the
window with it) are refused before it opens them: each is imported by the command line in a process of its
own, which must say why in Chinese within 30 s and 600 MB. Real files still pass."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from desktop.excel import safety
from desktop.excel.errors import ExcelError
from desktop.excel.importer import plan_import, run_import
from desktop.excel.templates import fill_template
from tests.integration.office import SOFFICE, convert

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 30
PEAK_MB = 600

# The import in a process of its own; it reports its own peak resident memory (the harness's reading).
# An address-space cap keeps a run without the bounds from taking the shared machine's memory with it.
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
from desktop.cli import main
from tests.benchmarks.harness import peak_mb
try:
    code = main(sys.argv[1:])
finally:
    print(f"peak_mb={peak_mb():.0f}", file=sys.stderr)
sys.exit(code)
"""

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)


def workbook(path: Path, rows: Iterable[bytes], shared: Iterable[str] = ("姓名",), dimension: str = "") -> Path:
    """A workbook as Excel lays it out, its one sheet (“人员”) written as it comes, so a big one stays cheap."""
    shared = list(shared)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr(
            "xl/sharedStrings.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                f'2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">'
                + "".join(f"<si><t>{s}</t></si>" for s in shared)
                + "</sst>"
            ).encode(),
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b"<sheetData>")
            for row in rows:
                fh.write(row)
            fh.write(b"</sheetData></worksheet>")
    return path


def two_cells(far: str) -> list[bytes]:
    """A header cell at A1 and one more cell far away: a sheet of a few hundred bytes."""
    row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    header = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return [header, f'<row r="{row}"><c r="{far}"><v>1</v></c></row>'.encode()]


def compressible_rows(total: int) -> Iterable[bytes]:
    """Rows of 20 numbers each, repeated until ``total`` bytes: about 50 to 1 under deflate."""
    cells = ("".join(f"<c><v>{(r + i) % 13}</v></c>" for i in range(20)) for r in range(1, 5001))
    block = "".join(f'<row r="{r}">{row}</row>' for r, row in enumerate(cells, 1)).encode()
    for _ in range(-(-total // len(block))):
        yield block


def many_entries(path: Path, count: int) -> Path:
    """A zip whose central directory lists ``count`` entries (a workbook's parts among them), all naming one
    small member: 47 bytes each on disk, several hundred bytes each in zipfile's and calamine's memory."""
    real = path.with_suffix(".real")
    workbook(real, two_cells("B2"))
    data = real.read_bytes()
    with zipfile.ZipFile(real) as z:
        first = z.infolist()[0]
    directory_start = data.index(b"PK\x01\x02")
    directory_end = data.index(b"PK\x05\x06")
    name = b"x"
    entry = struct.pack(
        "<4s6H3I5H2I",
        b"PK\x01\x02",
        20,
        20,
        0,
        0,
        0,
        0,
        first.CRC,
        first.compress_size,
        first.file_size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        first.header_offset,
    )
    directory = data[directory_start:directory_end] + (entry + name) * count
    entries = count + len(zipfile.ZipFile(real).infolist())
    end = struct.pack(
        "<4s4H2IH", b"PK\x05\x06", 0, 0, min(entries, 0xFFFF), min(entries, 0xFFFF), len(directory), directory_start, 0
    )
    path.write_bytes(data[:directory_start] + directory + end)
    real.unlink()
    return path


def import_in_child(db: str, path: Path) -> tuple[int, str, float, float]:
    """The command line's dry-run import of ``path``: exit code, what it printed, seconds, peak MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "import", "staff", str(path), "--db", db, "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    seconds = time.perf_counter() - started
    peak = [line for line in done.stderr.splitlines() if line.startswith("peak_mb=")]
    return done.returncode, done.stdout + done.stderr, seconds, float(peak[-1].split("=")[1]) if peak else -1


@pytest.fixture
def db(demo_db) -> str:
    target = str(demo_db.target)
    demo_db.close()  # the command line takes the database for itself
    return target


LAST_ROW = b"<row><c><v>2</v></c></row>"
HOSTILE = {
    # 1.8 KB: calamine tried to allocate 52 GB for the rectangle and aborted the process.
    "corner": (lambda p: workbook(p, two_cells("XFD1048576")), "工作表“人员”用到了 XFD1048576 单元格，超出可导入"),
    # A few hundred bytes: 4.8 GB and 25 s.
    "wide": (lambda p: workbook(p, two_cells("AZZ90000")), "工作表“人员”用到了 AZZ90000 单元格，超出可导入"),
    # Within the rows and columns, but 20 million cells: 800 MB.
    "at the limits": (lambda p: workbook(p, two_cells("GR100020")), "读取约需 763 MB 内存，超过 400 MB 的上限"),
    # A sheet that says where nothing is: cells and rows without r, placed one after the other (27 million).
    "cells without r": (
        lambda p: workbook(p, [b"<row>" + b"<c/>" * 299 + b"<c><v>1</v></c></row>", b"<row/>" * 89_998, LAST_ROW]),
        "工作表“人员”用到了 KN1 单元格",
    ),
    # 40 KB: one shared string of 32,767 characters, copied into each of 20,000 cells (3 GB).
    "shared string": (
        lambda p: workbook(
            p,
            (
                f'<row r="{r}">'.encode()
                + b"".join(b'<c r="%c%d" t="s"><v>0</v></c>' % (c, r) for c in b"ABCDEFGHIJ")
                + b"</row>"
                for r in range(1, 2001)
            ),
            shared=["长" * 32_767],
        ),
        "的内容过多：读取约需",
    ),
    # 10 MB holding 503 MB of sheet at 50 to 1, inside the earlier bounds (500 MB, 200 to 1): 46 s, 2.4 GB.
    "50 to 1": (lambda p: workbook(p, compressible_rows(503_000_000)), "解压后超过 200 MB，已拒绝读取"),
    # 70 MB of directory entries: zipfile alone took 520 MB for a million.
    "directory": (lambda p: many_entries(p, 1_500_000), "中的文件条目过多"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_workbook_is_refused_quickly_in_little_memory(db, tmp_path, kind):
    make, message = HOSTILE[kind]
    path = make(tmp_path / "人员.xlsx")
    code, output, seconds, peak = import_in_child(db, path)
    assert code == 1, output  # refused, with a reason; not a crash, not an import
    assert message in output
    assert "Traceback" not in output and "memory allocation" not in output
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert 0 < peak < PEAK_MB, f"{peak:.0f} MB"


def test_the_fifty_to_one_file_is_what_the_issue_describes(tmp_path):
    path = HOSTILE["50 to 1"][0](tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as z:
        sheet = z.getinfo("xl/worksheets/sheet1.xml")
    assert 9_000_000 < path.stat().st_size < 12_000_000
    assert 500_000_000 < sheet.file_size < 510_000_000 < 500 * 1024 * 1024
    assert 45 < sheet.file_size / sheet.compress_size < 60


def test_a_claimed_extent_past_the_limits_is_refused(demo_db, tmp_path):
    path = workbook(tmp_path / "人员.xlsx", two_cells("B2"), dimension="A1:XFD1048576")
    with pytest.raises(ExcelError, match="用到了 XFD1048576 单元格"), demo_db.session() as s:
        plan_import(s, "staff", path)


def test_a_long_sheet_name_is_cut_in_the_message(demo_db, tmp_path):
    path = workbook(tmp_path / "人员.xlsx", two_cells("XFD1"))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("人员".encode(), ("很长" * 100).encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(ExcelError) as refused, demo_db.session() as s:
        plan_import(s, "staff", path)
    assert f"工作表“{'很长' * 24}很…”用到了 XFD1 单元格" in str(refused.value)


def test_what_calamine_refuses_after_the_vetting_is_said_in_chinese(demo_db, tmp_path):
    path = workbook(tmp_path / "人员.xlsx", [b'<row r="1"><c r="A1" t="zz"><v>1</v></c></row>'])
    with pytest.raises(ExcelError) as refused, demo_db.session() as s:
        plan_import(s, "staff", path)
    assert str(refused.value) == "“人员.xlsx”已损坏，无法读取其中的工作表。"


def test_both_readings_of_a_sheet_agree_on_a_real_template(demo_db, tmp_path):
    with demo_db.session() as s:
        path = fill_template(s, "staff", tmp_path / "staff.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets, _ = safety._parts(path, z)
        for member, name in sheets.items():
            plain = safety._plain_sheet_cost(z, member, name)  # the writers' form: read at C speed
            exact = safety._any_sheet_cost(z, member, name)
            assert (plain.rows, plain.columns) == (exact.rows, exact.columns) > (0, 0)
            assert plain.values >= exact.values and plain.text >= exact.text


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_a_template_saved_again_by_libreoffice_imports_back_unchanged(demo_db, tmp_path):
    with demo_db.session() as s:
        path = fill_template(s, "staff", tmp_path / "staff.xlsx")
    saved = convert(path, "xlsx", tmp_path / "saved")  # shared strings, LibreOffice's own attributes
    with zipfile.ZipFile(saved) as z:
        sheets, shared = safety._parts(saved, z)
        assert shared is not None
        for member, name in sheets.items():
            safety._plain_sheet_cost(z, member, name)  # read at C speed, not element by element
    report = run_import(demo_db, "staff", saved, user="测试", dry_run=True)
    assert report.problems == []
    assert report.count("unchanged") == len(report.plans) > 2000
