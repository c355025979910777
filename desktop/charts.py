"""Charts drawn once as reportlab vector drawings: into the PDF as they are, into Word as a picture, into the
window as SVG."""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.validators import clean_text

if TYPE_CHECKING:
    from desktop.checks.beds import BedRow

VERDICT_COLOURS = {
    "within": colors.HexColor("#2e7d32"),
    "under": colors.HexColor("#c62828"),
    "over": colors.HexColor("#ef6c00"),
}
BAND_COLOUR = colors.HexColor("#d9dee3")
LEGEND = (
    (BAND_COLOUR, "测算床位区间"),
    (VERDICT_COLOURS["within"], "实有床位：在区间内"),
    (VERDICT_COLOURS["under"], "低于区间"),
    (VERDICT_COLOURS["over"], "高于区间"),
)
NAME_SIZE, AXIS_SIZE, LEGEND_SIZE = 7.5, 7, 7.5


def _width(text: str, font: str, size: float) -> float:
    """The text's width; a Chinese character is a square whatever the font (the window's SVG names Helvetica,
    whose metrics have no Chinese, and Qt draws it in the system's Chinese face)."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    narrow = "".join(ch for ch in text if ord(ch) < 0x2E80)
    try:
        return wide * size + stringWidth(narrow, font, size)
    except KeyError:  # a font reportlab does not know
        return size * (wide + 0.6 * len(narrow))


def wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """The name in as many lines as it takes within ``width``, broken between characters: never cut."""
    lines, line = [], ""
    for ch in text:
        if line and _width(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


def bed_band_chart(rows: Sequence[BedRow], *, width: float = 520, font: str = "Helvetica") -> Drawing:
    """Each centre's open beds against its band: a grey band, a coloured bar for the beds; names whole on the
    left, the axis in beds below, the key under the axis, outside the plot."""
    rows = [r for r in rows if r.lower is not None]
    left, right, top = min(150.0, width * 0.3), 12.0, 6.0
    names = [wrapped(clean_text(r.name), font, NAME_SIZE, left - 8) for r in rows]
    heights = [max(16.0, 4 + 9.5 * len(lines)) for lines in names]
    axis_h, legend_h = 26.0, 16.0
    height = top + sum(heights) + axis_h + legend_h if rows else 40.0
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    if not rows:
        d.add(String(10, height / 2, "无可核查的卫生院", fontName=font, fontSize=9))
        return d
    scale_max = max(max(r.beds, r.upper or 0) for r in rows) * 1.1 or 10
    plot_w = width - left - right
    plot_bottom = legend_h + axis_h

    def x(v: float) -> float:
        return left + plot_w * v / scale_max

    step = max(10, int(scale_max / 6) // 10 * 10 or 10)
    for k in range(0, int(scale_max) + 1, step):
        d.add(Line(x(k), plot_bottom, x(k), height - top, strokeColor=colors.HexColor("#eeeeee"), strokeWidth=0.5))
        d.add(String(x(k), plot_bottom - 10, str(k), fontName=font, fontSize=AXIS_SIZE, textAnchor="middle"))
    d.add(Line(left, plot_bottom, width - right, plot_bottom, strokeColor=colors.HexColor("#999999"), strokeWidth=0.5))
    unit = "床位（张）"
    d.add(
        String(width - right - _width(unit, font, AXIS_SIZE), plot_bottom - 20, unit, fontName=font, fontSize=AXIS_SIZE)
    )
    y_top = height - top
    for r, lines, h in zip(rows, names, heights, strict=True):
        y = y_top - h
        mid = y + h / 2
        first = mid + (len(lines) - 1) * 4.75 - 2.5
        for n, line in enumerate(lines):
            # Placed from its start: reportlab's SVG would place an end-anchored string by Helvetica's widths.
            at = left - 6 - _width(line, font, NAME_SIZE)
            d.add(String(at, first - n * 9.5, line, fontName=font, fontSize=NAME_SIZE))
        d.add(Rect(x(r.lower), mid - 6, max(1.0, x(r.upper) - x(r.lower)), 12, fillColor=BAND_COLOUR, strokeColor=None))
        d.add(
            Rect(left, mid - 3, max(0.5, x(r.beds) - left), 6, fillColor=VERDICT_COLOURS[r.verdict], strokeColor=None)
        )
        y_top = y
    spans = [15 + _width(label, font, LEGEND_SIZE) for _colour, label in LEGEND]
    cursor = max(4.0, (width - sum(spans) - 12 * (len(spans) - 1)) / 2)
    for colour, label in LEGEND:
        d.add(Rect(cursor, 3, 12, 7, fillColor=colour, strokeColor=None))
        d.add(String(cursor + 15, 3.5, label, fontName=font, fontSize=LEGEND_SIZE))
        cursor += 15 + _width(label, font, LEGEND_SIZE) + 12
    return d


def to_svg(drawing: Drawing) -> bytes:
    from reportlab.graphics import renderSVG  # a slow import, needed only once a chart is shown

    return renderSVG.drawToString(drawing).encode("utf-8")


def to_png(drawing: Drawing, font_path: str, dpi: int = 200) -> bytes:
    """A picture of the chart for a file that cannot hold vector drawings (Word), painted with Pillow.

    reportlab's own bitmap renderer needs cairo, which has no wheel for Linux; the charts here are flat lists of
    rectangles, lines and strings, which this paints alike. ``font_path``: the TrueType face the strings are in.
    """
    from PIL import Image, ImageDraw, ImageFont

    k = dpi / 72
    height = drawing.height
    image = Image.new("RGB", (math.ceil(drawing.width * k), math.ceil(height * k)), "white")
    draw = ImageDraw.Draw(image)
    faces: dict[float, ImageFont.FreeTypeFont] = {}

    def rgb(colour) -> tuple[int, int, int]:
        return tuple(round(255 * v) for v in colour.rgb())

    for shape in drawing.contents:
        if isinstance(shape, Rect) and shape.fillColor is not None:
            box = [
                shape.x * k,
                (height - shape.y - shape.height) * k,
                (shape.x + shape.width) * k,
                (height - shape.y) * k,
            ]
            draw.rectangle(box, fill=rgb(shape.fillColor))
        elif isinstance(shape, Line):
            ends = [(shape.x1 * k, (height - shape.y1) * k), (shape.x2 * k, (height - shape.y2) * k)]
            draw.line(ends, fill=rgb(shape.strokeColor), width=max(1, round(shape.strokeWidth * k)))
        elif isinstance(shape, String):
            if shape.fontSize not in faces:
                faces[shape.fontSize] = ImageFont.truetype(font_path, round(shape.fontSize * k))
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.textAnchor]
            fill = rgb(shape.fillColor) if shape.fillColor is not None else (0, 0, 0)
            draw.text(
                (shape.x * k, (height - shape.y) * k), shape.text, font=faces[shape.fontSize], fill=fill, anchor=anchor
            )
    out = BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def verdicts_by_county_chart(
    counts: dict[str, dict[str, int]], *, width: float = 520, font: str = "Helvetica"
) -> Drawing:
    """A city's centres by county: how many lie within their band, under it and over it, as stacked bars, the
    county's name whole on the left and the key under the axis (a bar per centre would be a strip of 170)."""
    names = list(counts)
    left, right, top, row_h = min(120.0, width * 0.25), 12.0, 6.0, 18.0
    axis_h, legend_h = 26.0, 16.0
    height = top + row_h * max(len(names), 1) + axis_h + legend_h
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    order = ("within", "under", "over")
    most = max((sum(c.get(v, 0) for v in order) for c in counts.values()), default=0) or 1
    plot_w, plot_bottom = width - left - right, legend_h + axis_h

    def x(v: float) -> float:
        return left + plot_w * v / most

    step = max(1, most // 6)
    for k in range(0, most + 1, step):
        d.add(Line(x(k), plot_bottom, x(k), height - top, strokeColor=colors.HexColor("#eeeeee"), strokeWidth=0.5))
        d.add(String(x(k), plot_bottom - 10, str(k), fontName=font, fontSize=AXIS_SIZE, textAnchor="middle"))
    unit = "卫生院（个）"
    d.add(
        String(width - right - _width(unit, font, AXIS_SIZE), plot_bottom - 20, unit, fontName=font, fontSize=AXIS_SIZE)
    )
    for i, name in enumerate(names):
        y = height - top - (i + 1) * row_h
        label = clean_text(name)
        d.add(String(left - 6 - _width(label, font, NAME_SIZE), y + 5, label, fontName=font, fontSize=NAME_SIZE))
        start = 0
        for verdict in order:
            n = counts[name].get(verdict, 0)
            if n:
                d.add(Rect(x(start), y + 3, x(start + n) - x(start), row_h - 6, fillColor=VERDICT_COLOURS[verdict],
                           strokeColor=colors.white, strokeWidth=0.5))  # fmt: skip
                start += n
    key = (("within", "在区间内"), ("under", "低于区间"), ("over", "高于区间"))
    spans = [15 + _width(label, font, LEGEND_SIZE) for _v, label in key]
    cursor = max(4.0, (width - sum(spans) - 12 * (len(spans) - 1)) / 2)
    for verdict, label in key:
        d.add(Rect(cursor, 3, 12, 7, fillColor=VERDICT_COLOURS[verdict], strokeColor=None))
        d.add(String(cursor + 15, 3.5, label, fontName=font, fontSize=LEGEND_SIZE))
        cursor += 15 + _width(label, font, LEGEND_SIZE) + 12
    return d
