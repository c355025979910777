"""Finding a TrueType CJK font to embed, or falling back to reportlab's STSong-Light with a warning."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

# Body (宋体/仿宋 where there is one) first, then a heading face (黑体). Windows always has these.
WINDOWS_BODY = ("simsun.ttc", "simfang.ttf", "msyh.ttc", "simhei.ttf")
WINDOWS_HEADING = ("simhei.ttf", "msyh.ttc", "simsun.ttc")
LINUX_KNOWN = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class FontSet:
    body: str  # registered reportlab font names
    heading: str
    family: str  # the font's own name, for the report's metadata
    path: str | None  # None for the unembedded fallback
    warning: str | None = None

    @property
    def embedded(self) -> bool:
        return self.path is not None


def _fontconfig_candidates() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def candidates() -> list[tuple[str, str]]:
    """(path, role) pairs to try, best first; role is "body" or "heading"."""
    out: list[tuple[str, str]] = []
    if sys.platform.startswith("win"):
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        out += [(str(fonts / n), "body") for n in WINDOWS_BODY]
        out += [(str(fonts / n), "heading") for n in WINDOWS_HEADING]
    for path in (*LINUX_KNOWN, *_fontconfig_candidates()):
        if path.lower().endswith((".ttf", ".ttc")):  # OpenType/CFF (.otf) is refused by reportlab's TTFont
            out.append((path, "body"))
    return out


def _register(path: str, name: str) -> str | None:
    """Register a TrueType font (the first face of a .ttc); None if reportlab cannot embed it."""
    if not Path(path).exists():
        return None
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError, ValueError) as exc:  # e.g. "postscript outlines are not supported"
        log.info("skipping font %s: %s", path, exc)
        return None
    pdfmetrics.registerFont(font)
    return font.face.name.decode("utf-8", "replace") if isinstance(font.face.name, bytes) else str(font.face.name)


def find_fonts(paths: list[tuple[str, str]] | None = None) -> FontSet:
    body = heading = None
    family = path_used = None
    for path, role in candidates() if paths is None else paths:
        if role == "body" and body is None:
            found = _register(path, "CHBody")
            if found:
                body, family, path_used = "CHBody", found, path
        elif role == "heading" and heading is None and _register(path, "CHHeading"):
            heading = "CHHeading"
        if body and (heading or not sys.platform.startswith("win")):
            break
    if body:
        return FontSet(body, heading or body, family, path_used)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    warning = (
        "本机未找到可嵌入的 TrueType 中文字体，报告使用 PDF 阅读器自带的 STSong-Light 字体（未嵌入），"
        "在没有该字体的电脑上可能显示不全。请安装宋体、黑体或文泉驿字体（fonts-wqy-microhei）后重新生成。"
    )
    log.warning(warning)
    return FontSet(FALLBACK, FALLBACK, FALLBACK, None, warning)
