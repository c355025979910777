"""``countyhealth-desk --self-test``: the installed app proves itself, and names the step that fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.ui import selftest


def test_the_self_test_passes_every_step_and_writes_its_log(tmp_path):
    command = Path(sys.executable).parent / "countyhealth-desk"
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    done = subprocess.run([str(command), "--self-test"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum("… 通过" in line for line in lines) == len(selftest.STEPS) == 8
    assert "自检全部通过" in lines
    (log,) = (tmp_path / "state").rglob("selftest.log")
    assert "自检全部通过" in log.read_text(encoding="utf-8")


def test_a_failing_step_is_named_and_the_code_is_not_zero(tmp_path, monkeypatch):
    def broken(ctx):
        raise OSError("磁盘已满")

    monkeypatch.setattr(selftest, "STEPS", [selftest.STEPS[0], ("Excel：导出人员花名册并读回", broken)])
    said: list[str] = []
    assert selftest.run_self_test(tmp_path / "log" / "selftest.log", out=said.append) == 2
    assert said[2] == "[2/2] Excel：导出人员花名册并读回 … 失败：磁盘已满"
    assert said[3] == "自检未通过：第 2 步（Excel：导出人员花名册并读回）"
    log = (tmp_path / "log" / "selftest.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "磁盘已满" in log  # the log keeps what the screen leaves out


def test_the_window_step_leaves_no_job_running(demo_db, monkeypatch):
    """The step hid its window and deleted it; a timer of the window started a check as it went, whose worker
    then outlived the window and emitted to signals torn down at exit ("Signal source has been deleted",
    now and then a segmentation fault, printed after the self-test had passed)."""
    from PySide6.QtCore import QThreadPool

    from desktop.ui import tasks

    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", False)  # real workers, as in the installed app
    selftest._window({"db": demo_db})
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert all(task.abandoned for task in tasks._RUNNING)
