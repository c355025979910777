"""A full disk or a read-only place: one Chinese sentence naming the cause, no traceback, no half-written file,
and a healthy database never called damaged.

Each case runs the real command in a private mount namespace (``unshare``) with a small tmpfs mounted where the
file goes, so it needs no privilege of the test runner's and leaves nothing mounted behind.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
import textwrap

import pytest

from db import open_database
from db.models import ExchangeReceiver
from db.sealing import new_box_pair

pytestmark = pytest.mark.sqlite_only


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


requires_mount = pytest.mark.skipif(not _can_mount(), reason="needs unshare and a tmpfs in a mount namespace")


def _run_on_small_disk(folder, commands: list[list[str]], *, size="2m", fill=False, read_only=False, prepare=""):
    """Mount a tmpfs of ``size`` on ``folder`` (after ``prepare``, a shell line that may copy files into it),
    fill it if asked, make it read-only if asked, run each command; their (rc, stderr), and what is left there."""
    runs = "\n".join(
        f'{shlex.join([sys.executable, "-m", "desktop.cli", *c])} 2>"$ERR/{i}"; echo $? > "$ERR/{i}.rc"'
        for i, c in enumerate(commands)
    )
    script = textwrap.dedent(
        f"""
        set -e
        mount -t tmpfs -o size={size} tmpfs {shlex.quote(str(folder))}
        {prepare}
        {"head -c 100M /dev/zero > " + shlex.quote(str(folder / "填满.bin")) + " 2>/dev/null || true" if fill else ""}
        {"mount -o remount,ro " + shlex.quote(str(folder)) if read_only else ""}
        set +e
        {runs}
        ls -A {shlex.quote(str(folder))} > "$ERR/left"
        """
    )
    errors = folder.parent / "errors"
    errors.mkdir(exist_ok=True)
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env={**os.environ, "ERR": str(errors)}, timeout=600)
    assert done.returncode == 0, "the mount or the fill itself failed"
    results = [
        (int((errors / f"{i}.rc").read_text()), (errors / str(i)).read_text(encoding="utf-8"))
        for i in range(len(commands))
    ]
    return results, (errors / "left").read_text().split()


@pytest.fixture(scope="module")
def county(tmp_path_factory, demo_template):
    folder = tmp_path_factory.mktemp("county")
    path = folder / "清溪县.db"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    with db.session() as s:  # the city it reports to, registered: its exchange file can be written
        s.add(ExchangeReceiver(division_code="539900000000", name="云川市", public_key=new_box_pair()[1],
                               registered_at=dt.datetime.now(), registered_by="县局"))  # fmt: skip
        s.commit()
    db.close()
    return path


def _writers(db, out) -> list[list[str]]:
    return [
        ["report", "--db", str(db), "--period", "2026Q3", "--out", str(out / "季度报告.pdf")],
        ["template", "staff", "--with-records", "--db", str(db), "--out", str(out / "人员模板.xlsx")],
        ["export", "all", "--db", str(db), "--period", "2026Q3", "--out", str(out / "报表.xlsx")],
        ["exchange", "export", "--db", str(db), "--period", "2026Q3", "--out", str(out / "交换.chx")],
        ["backup", "--db", str(db), "--to", str(out / "备份.db")],
    ]


@requires_mount
def test_every_file_written_to_a_full_disk_is_one_sentence_and_leaves_nothing(county, tmp_path):
    out = tmp_path / "U盘"
    out.mkdir()
    results, left = _run_on_small_disk(out, _writers(county, out), fill=True)
    for (rc, err), command in zip(results, _writers(county, out), strict=True):
        assert rc == 2, (command, err)
        assert "磁盘空间不足" in err and "Traceback" not in err, (command, err)
        assert len(err.strip().splitlines()) == 1, err
    assert left == ["填满.bin"]  # no 0-byte report, no .part file


@requires_mount
def test_every_file_written_to_a_read_only_place_is_one_sentence(county, tmp_path):
    out = tmp_path / "光盘"
    out.mkdir()
    results, left = _run_on_small_disk(out, _writers(county, out), read_only=True)
    for (rc, err), command in zip(results, _writers(county, out), strict=True):
        assert rc == 2 and "位置只读" in err and "Traceback" not in err, (command, err)
    assert left == []


@requires_mount
def test_a_healthy_database_on_a_read_only_place_is_not_called_damaged(county, tmp_path):
    place = tmp_path / "只读"
    place.mkdir()
    db = place / county.name
    prepare = f"cp {shlex.quote(str(county))} {shlex.quote(str(db))}"
    results, _left = _run_on_small_disk(
        place, [["info", "--db", str(db)], ["check", "--db", str(db), "--period", "2026Q3"]],
        size="50m", read_only=True, prepare=prepare,
    )  # fmt: skip
    for rc, err in results:
        assert rc == 2 and "只读" in err, err
        assert "已损坏" not in err and "技术人员" not in err and "Traceback" not in err, err


@requires_mount
def test_a_healthy_database_on_a_full_disk_is_not_called_damaged(county, tmp_path):
    place = tmp_path / "满盘"
    place.mkdir()
    db = place / county.name
    prepare = f"cp {shlex.quote(str(county))} {shlex.quote(str(db))}"
    change = ["norms", "set", "bed_band", "--db", str(db), "--from", "2027-01-01", "--off", "--note", "试改"]
    results, _left = _run_on_small_disk(
        place, [["info", "--db", str(db)], change], size="50m", fill=True, prepare=prepare
    )
    for rc, err in results:
        assert "已损坏" not in err and "技术人员" not in err and "Traceback" not in err, err
        assert rc == 2 and "磁盘空间不足" in err, err  # SQLite cannot even make its -shm file there


def test_a_missing_folder_is_the_clerks_to_fix_and_a_missing_program_file_is_a_bug(tmp_path):
    """A library's own file missing (python-docx's template in a broken bundle) was told as "找不到要写入的文件夹"
    about the clerk's folder, which exists: now it is left a bug, logged with its cause."""
    import errno

    from db.files import WriteError, environment_reason, written_whole

    target = tmp_path / "out" / "报告.docx"
    gone = FileNotFoundError(errno.ENOENT, "No such file", str(target.parent / ".~报告.1.part.docx"))
    assert environment_reason(gone, target).startswith("找不到要写入的文件夹")
    library = FileNotFoundError(errno.ENOENT, "No such file", "/opt/app/docx/parts/../templates/default-footer.xml")
    assert environment_reason(library, target) is None
    with pytest.raises(FileNotFoundError) as raised:
        with written_whole(target):
            raise library
    assert raised.value is library and not isinstance(raised.value, WriteError)
