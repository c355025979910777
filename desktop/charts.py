"""Charts drawn once as reportlab vector drawings: into the PDF as they are, into the window as SVG."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from desktop.validators import clean_text

if TYPE_CHECKING:
    from desktop.checks.beds import BedRow

VERDICT_COLOURS = {
    "within": colors.HexColor("#2e7d32"),
    "under": colors.HexColor("#c62828"),
    "over": colors.HexColor("#ef6c00"),
}


def bed_band_chart(rows: Sequence[BedRow], *, width: float = 520, font: str = "Helvetica") -> Drawing:
    """Each centre's open beds against its band: a grey band, a coloured bar for the beds."""
    rows = [r for r in rows if r.lower is not None]
    row_h, left, top, bottom = 16, 150, 14, 22
    height = top + bottom + row_h * max(len(rows), 1)
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    if not rows:
        d.add(String(10, height / 2, "无可核查的卫生院", fontName=font, fontSize=9))
        return d
    scale_max = max(max(r.beds, r.upper or 0) for r in rows) * 1.1
    plot_w = width - left - 10

    def x(v: float) -> float:
        return left + plot_w * v / scale_max

    for i, r in enumerate(rows):
        y = height - top - (i + 1) * row_h
        d.add(String(left - 4, y + 4, clean_text(r.name)[:9], fontName=font, fontSize=7.5, textAnchor="end"))
        d.add(
            Rect(
                x(r.lower),
                y + 2,
                max(1.0, x(r.upper) - x(r.lower)),
                row_h - 4,
                fillColor=colors.HexColor("#d9dee3"),
                strokeColor=None,
            )
        )
        d.add(
            Rect(
                left,
                y + 5,
                max(0.5, x(r.beds) - left),
                row_h - 10,
                fillColor=VERDICT_COLOURS[r.verdict],
                strokeColor=None,
            )
        )
    for k in range(0, int(scale_max) + 1, max(10, int(scale_max / 6) // 10 * 10 or 10)):
        d.add(Line(x(k), bottom - 4, x(k), height - top, strokeColor=colors.HexColor("#eeeeee"), strokeWidth=0.5))
        d.add(String(x(k), bottom - 14, str(k), fontName=font, fontSize=7, textAnchor="middle"))
    d.add(
        String(
            left,
            2,
            "灰色：按乡村人口测算的床位区间；彩色条：实有床位（绿：达标，红：不足，橙：过多）",
            fontName=font,
            fontSize=7,
        )
    )
    return d


def to_svg(drawing: Drawing) -> bytes:
    from reportlab.graphics import renderSVG  # a slow import, needed only once a chart is shown

    return renderSVG.drawToString(drawing).encode("utf-8")
