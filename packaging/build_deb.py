"""Build the Linux .deb from the PyInstaller bundle, laid out as UOS's app store expects, with dpkg-deb.

    python packaging/build_deb.py dist/countyhealth-desk dist/

/opt/apps/<app id>/files       the bundle
/opt/apps/<app id>/entries/    the .desktop entry and the icon (UOS reads them here)
/opt/apps/<app id>/info        the store's description of the app (JSON)
/usr/bin/countyhealth-desk     a launcher on the PATH
/usr/share/applications, /usr/share/icons: links to the entries, for plain Debian desktops

Nothing is written to the user's folders: the database lives in ~/.local/share/CountyHealthDesk, which
`dpkg -r` leaves alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "cn.countyhealth.desk"
NAME_ZH = "县域卫生健康台账"

# What Qt's xcb platform plugin and OpenGL need from the system and the bundle does not carry (PyInstaller
# leaves GL and the C library to the system, and carries the xcb libraries only if the build machine has
# them), and a TrueType CJK font for the window and the PDF report.
DEPENDS = [
    "fonts-wqy-microhei | fonts-wqy-zenhei",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-cursor0",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-xkb1",
    "libxcb-shape0",
    "libxcb-randr0",
    "libx11-xcb1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def glibc_floor(bundle: Path) -> str:
    """The newest glibc symbol version any file of the bundle asks for: the libc6 it needs."""
    newest = (2, 17)
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) != b"\x7fELF":
                    continue
                data = fh.read()
            for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", data):
                newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def desktop_entry() -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={NAME_ZH}",
            f"Name[zh_CN]={NAME_ZH}",
            "GenericName=County health records",
            "GenericName[zh_CN]=基层卫生健康台账、核查与报表",
            "Comment=Offline records, norm checks and reports for a county health bureau",
            "Comment[zh_CN]=县级卫生健康部门基层卫生台账、规范核查与报表工具（离线）",
            f"Exec=/opt/apps/{APP_ID}/files/countyhealth-desk",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;",
            "StartupNotify=true",
            "",
        ]
    )


def build(bundle: Path, out_dir: Path) -> Path:
    if not (bundle / "countyhealth-desk").is_file():
        sys.exit(f"没有找到打包结果：{bundle}/countyhealth-desk（请先运行 make package）")
    ver = version()
    stage = ROOT / "build" / "deb" / APP_ID
    shutil.rmtree(stage, ignore_errors=True)
    app = stage / "opt" / "apps" / APP_ID
    shutil.copytree(bundle, app / "files", symlinks=True)
    entries = app / "entries"
    (entries / "applications").mkdir(parents=True)
    (entries / "applications" / f"{APP_ID}.desktop").write_text(desktop_entry(), encoding="utf-8")
    icons = entries / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "icons" / "app.svg", icons / f"{APP_ID}.svg")
    info = {
        "appid": APP_ID,
        "name": NAME_ZH,
        "version": ver,
        "arch": ["amd64"],
        "permissions": {"autostart": False, "notification": False, "trayicon": False, "clipboard": True},
    }
    (app / "info").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    usr = stage / "usr"
    (usr / "bin").mkdir(parents=True)
    launcher = usr / "bin" / "countyhealth-desk"
    # A UTF-8 locale for Qt when the session has none (a service, a bare terminal).
    launcher.write_text(
        "#!/bin/sh\n"
        'case "${LC_ALL:-${LANG:-}}" in *UTF-8*|*utf8*) ;; *) export LANG=C.UTF-8 ;; esac\n'
        f'exec /opt/apps/{APP_ID}/files/countyhealth-desk "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    (usr / "share" / "applications").mkdir(parents=True)
    os.symlink(
        f"/opt/apps/{APP_ID}/entries/applications/{APP_ID}.desktop",
        usr / "share" / "applications" / f"{APP_ID}.desktop",
    )
    (usr / "share" / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True)
    os.symlink(
        f"/opt/apps/{APP_ID}/entries/icons/hicolor/scalable/apps/{APP_ID}.svg",
        usr / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    )

    size_kib = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    depends = [f"libc6 (>= {glibc_floor(bundle)})", *DEPENDS]
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        "\n".join(
            [
                f"Package: {APP_ID}",
                f"Version: {ver}",
                "Architecture: amd64",
                "Section: office",
                "Priority: optional",
                "Maintainer: CountyHealth Desk <countyhealth-desk@localhost>",
                f"Installed-Size: {size_kib}",
                f"Depends: {', '.join(depends)}",
                f"Description: {NAME_ZH} (CountyHealth Desk)",
                " 县级卫生健康部门离线使用的基层卫生台账、规范核查与报表工具：机构、人员、床位、",
                " 建设项目和重点任务台账，按省、县政策文件核查，导出上报报表并生成季度报告。",
                "",
            ]
        ),
        encoding="utf-8",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{APP_ID}_{ver}_amd64.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(deb)], check=True)
    print(f"已生成：{deb}（{deb.stat().st_size / 1024 / 1024:.0f} MB）")
    return deb


if __name__ == "__main__":
    build(
        Path(sys.argv[1] if len(sys.argv) > 1 else "dist/countyhealth-desk"),
        Path(sys.argv[2] if len(sys.argv) > 2 else "dist"),
    )
