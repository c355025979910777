"""The faces an official document is set in, found on this machine and embedded, with what stood in for each.

GB/T 9704-2012 sets the title in 小标宋, the body in 仿宋, first-level headings in 黑体 and second-level ones in
楷体. A government PC has them (Windows ships 仿宋, 黑体 and 楷体; 方正小标宋 is installed by most offices); an
ordinary Linux machine has only a general CJK face, which then stands in for each role and is named as a stand-in
in the document's properties. Without any TrueType CJK face the report falls back to reportlab's unembedded
STSong-Light and says so.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

# Each role: its name in the document's properties, the face GB/T 9704 asks for, the words that find it among
# fontconfig's families, and Windows' file names for it.
ROLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "title": ("标题", ("小标宋", "XiaoBiaoSong", "FZXiaoBiaoSong"), ("FZXBSJW.TTF", "FZXBSK.TTF")),
    "body": ("正文", ("仿宋", "FangSong"), ("simfang.ttf", "simsun.ttc")),
    "heading": ("一级标题", ("黑体", "SimHei"), ("simhei.ttf", "msyh.ttc")),
    "kai": ("二级标题", ("楷体", "KaiTi"), ("simkai.ttf",)),
}
OFFICIAL_FACE = {"title": "方正小标宋简体", "body": "仿宋", "heading": "黑体", "kai": "楷体"}
LINUX_KNOWN = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FALLBACK = "STSong-Light"
REGISTERED = {"title": "CHTitle", "body": "CHBody", "heading": "CHHeading", "kai": "CHKai"}


@dataclass(frozen=True)
class FontSet:
    body: str  # registered reportlab font names
    heading: str
    family: str  # the body face's own name, for the report's metadata
    path: str | None  # None for the unembedded fallback
    warning: str | None = None
    title: str = ""
    kai: str = ""
    faces: dict[str, str] = field(default_factory=dict)  # role -> the face's own name

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", self.title or self.heading)
        object.__setattr__(self, "kai", self.kai or self.body)

    @property
    def embedded(self) -> bool:
        return self.path is not None

    def described(self) -> str:
        """Each role's face, and which stand in for the face the standard asks for: for the properties."""
        parts = []
        for role, (label, words, _files) in ROLES.items():
            face = self.faces.get(role, self.family)
            official = any(w.lower() in face.lower() for w in words)
            parts.append(f"{label}：{face}" + ("" if official else f"（代{OFFICIAL_FACE[role]}）"))
        return "；".join(parts)


def _fontconfig_families() -> list[tuple[str, str]]:
    """(path, families) of the Chinese faces fontconfig knows."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in sorted(set(out.splitlines())):
        path, _, families = line.partition(":")
        if path.strip():
            found.append((path.strip(), families.strip()))
    return found


def candidates() -> list[tuple[str, str]]:
    """(path, role) pairs to try, best first; role is one of ROLES."""
    out: list[tuple[str, str]] = []
    if sys.platform.startswith("win"):
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        for role, (_label, _words, files) in ROLES.items():
            out += [(str(folder / name), role) for name in files]
    known = _fontconfig_families()
    for role, (_label, words, _files) in ROLES.items():
        out += [(path, role) for path, families in known if any(w.lower() in families.lower() for w in words)]
    # Any face at all for the body, which then stands in for the rest.
    out += [(path, "body") for path in (*LINUX_KNOWN, *(p for p, _f in known))]
    return [(p, r) for p, r in out if p.lower().endswith((".ttf", ".ttc"))]  # reportlab refuses OpenType/CFF


def _register(path: str, name: str) -> str | None:
    """Register a TrueType font (the first face of a .ttc); its own name, or None if reportlab cannot embed it."""
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
    names: dict[str, str] = {}
    faces: dict[str, str] = {}
    body_path = None
    for path, role in candidates() if paths is None else paths:
        if role in names:
            continue
        face = _register(path, REGISTERED[role])
        if face:
            names[role], faces[role] = REGISTERED[role], face
            body_path = path if role == "body" else body_path
        if len(names) == len(ROLES):
            break
    if "body" in names:
        for role in ROLES:  # the body's face stands in for any role this machine has no face for
            faces.setdefault(role, faces["body"])
        return FontSet(
            names["body"],
            names.get("heading", names["body"]),
            faces["body"],
            body_path,
            title=names.get("title", names.get("heading", names["body"])),
            kai=names.get("kai", names["body"]),
            faces=faces,
        )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    warning = (
        "本机未找到可嵌入的 TrueType 中文字体，报告使用 PDF 阅读器自带的 STSong-Light 字体（未嵌入），"
        "在没有该字体的电脑上可能显示不全。请安装宋体、黑体或文泉驿字体（fonts-wqy-microhei）后重新生成。"
    )
    log.warning(warning)
    return FontSet(FALLBACK, FALLBACK, FALLBACK, None, warning)
