"""Chinese line breaking in the report: dates, numbers and Latin words whole, no closing mark at a line's start,
no opening mark at its end, and never a character lost or added, at every width."""

from __future__ import annotations

import re

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from desktop.report.fonts import find_fonts
from desktop.report.linebreak import run_starts

TEXT = (
    "截至2026年9月30日，全县共有医疗卫生机构1,234个（其中运营1,200个），依据《某省乡镇卫生院床位配置标准》"
    "（某卫基层发〔2026〕8号）第五条及GB/T 9704-2012执行，按2026年第三季度末的情况编写；“十四五”规划"
    "（2021～2025年）的目标值为≥7.5人，2025年12月31日前完成。"
)


def lines_of(markup: str, width: float, font: str) -> list[str]:
    style = ParagraphStyle("t", fontName=font, fontSize=16, leading=28, wordWrap="CJK")
    p = Paragraph(markup, style)
    p.wrap(width, 10_000)
    out = []
    for line in p.blPara.lines:  # one fragment (words) or several (FragLines)
        out.append("".join(w.text for w in line.words) if hasattr(line, "words") else "".join(line[1]))
    return out


@pytest.mark.parametrize("markup", [TEXT, TEXT.replace("全县", "<b>全县</b>")], ids=["one fragment", "several"])
def test_no_run_is_broken_and_no_mark_is_stranded_at_any_width(markup):
    font = find_fonts().body
    wholes = ["2026年9月30日", "1,234", "1,200", "〔2026〕8号", "GB/T", "9704-2012", "2026年第三季度", "2021～2025年",
              "2025年12月31日", "7.5"]  # fmt: skip
    for width in range(120, 460, 5):
        lines = lines_of(markup, width, font)
        assert "".join(lines) == TEXT.replace(" ", "") or "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
        for a, b in zip(lines, lines[1:], strict=False):
            assert b[:1] not in "，。；：、）》”〕", (width, a, b)
            assert a[-1:] not in "（《“〔", (width, a, b)
            joined = a + "|" + b
            for whole in wholes:
                for cut in range(1, len(whole)):
                    assert whole[:cut] + "|" + whole[cut:] not in joined, (width, whole, a, b)


def test_a_run_longer_than_the_line_breaks_after_its_year_or_month():
    font = find_fonts().body
    lines = lines_of("2025年12月31日", 70, font)
    assert lines[0].endswith(("年", "月")) and "".join(lines) == "2025年12月31日"


def test_runs_start_where_the_date_or_word_starts():
    text = "于2026年9月30日（GB/T）"
    starts = run_starts(text)
    assert {starts[text.index(c)] for c in "2026年9月30日"} == {1}
    assert starts[text.index("G")] == text.index("（")  # the opening mark goes with the word after it
    assert re.sub(r"\s", "", text) == text
