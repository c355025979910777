"""The real tools a user's files meet: LibreOffice (headless) and poppler."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def convert(path: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless; fail loudly if it cannot open the file."""
    assert SOFFICE, "LibreOffice is not installed (Debian: libreoffice-calc-nogui, libreoffice-writer-nogui)"
    profile = outdir / "lo-profile"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = outdir / (path.stem + "." + target.split(":")[0])
    assert result.returncode == 0 and out.exists(), f"LibreOffice failed on {path.name}: {result.stderr}"
    return out


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
