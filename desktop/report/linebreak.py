"""Chinese line breaking for reportlab that keeps dates, numbers and Latin words whole.

reportlab's CJK wrapping (``paragraph.cjkFragSplit``) may break between any two characters, only keeping one
closing mark off the start of a line: "2026年9月30日" came apart after 年 or inside 30, a document number after its
〔. Chinese text may break between characters; these may not:

- a date or a run of digits and Latin letters with what binds them (2026年9月30日, 1,234.5, 〔2026〕12号, GB/T 9704);
- a closing mark (，。）》…) may not begin a line and an opening one (（《“) may not end one.

The split below is reportlab's own loop with a look-back to the start of such a run; it is installed in place of
reportlab's at import, as the kinsoku list is extended there.
"""

from __future__ import annotations

import re

from reportlab.lib import textsplit as reportlab_textsplit
from reportlab.platypus import paragraph as reportlab_paragraph

CHINESE_CANNOT_START = "，；：！？》」』”’〉】）、。…—％"
CANNOT_END = "（《「『“‘〈【〔"
SOFT_ENDS = "年月～-/"  # where a run too long for a whole line may still break

# Runs a line may not break inside. Dates first, so the longest reading wins.
WHOLE = re.compile(
    r"\d{4}年?[～~—-]\d{4}年"
    r"|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|第[一二三四]季度|[上下]半年|度)?"
    r"|\d{1,2}月\d{1,2}日"
    r"|〔\d{4}〕\d+号"
    r"|第\d+[章条款项号版]"
    r"|[0-9A-Za-z][0-9A-Za-z.,:/%+\-·_×]*[0-9A-Za-z%]"
)

for _module in (reportlab_textsplit, reportlab_paragraph):
    if not set(CHINESE_CANNOT_START) <= set(_module.ALL_CANNOT_START):
        _module.ALL_CANNOT_START += "".join(c for c in CHINESE_CANNOT_START if c not in _module.ALL_CANNOT_START)


def run_starts(text: str) -> list[int]:
    """For each character, where the unbreakable run holding it starts (itself when it is free)."""
    starts = list(range(len(text)))
    for match in WHOLE.finditer(text):
        for k in range(match.start() + 1, match.end()):
            starts[k] = match.start()
    for k in range(1, len(text)):  # an opening mark binds to what follows it, the whole run if one starts there
        if text[k - 1] in CANNOT_END and starts[k] == k:
            j = k
            while j < len(text) and starts[j] == k:
                starts[j] = starts[k - 1]
                j += 1
    return starts


def _lines(text: str, widths: list[float], max_widths: list[float], hard: set[int]) -> list[tuple[int, int, float]]:
    """(start, end, width) of each line; a line ends after an index in ``hard`` (a <br/>) whatever its width."""
    starts = run_starts(text)
    cannot_start = reportlab_paragraph.ALL_CANNOT_START
    out: list[tuple[int, int, float]] = []
    i = used = line_start = 0
    max_width = max_widths[0]
    fuzz = reportlab_paragraph._FUZZ
    while i < len(text):
        used += widths[i]
        i += 1
        if i - 1 in hard:
            out.append((line_start, i, used))
        elif used > max_width + fuzz and used > 0:
            # text[i-1] overflows. Break before it, or before the run holding it, unless that leaves the line
            # empty; a closing mark hangs in the margin instead (one, as reportlab does).
            cut = i - 1
            free_after = i == len(text) or (starts[i] == i and text[i] not in cannot_start)
            if text[cut] in cannot_start and cut > line_start + 1 and free_after:
                cut = i
            else:
                if starts[cut] > line_start:
                    cut = starts[cut]
                elif starts[cut] == line_start and cut > line_start:  # a run longer than the line: after 年 or 月
                    soft = [j for j in range(line_start + 1, cut + 1) if text[j - 1] in SOFT_ENDS]
                    cut = soft[-1] if soft else cut
                while cut > line_start + 1 and cut < len(text) and text[cut] in cannot_start:
                    cut = max(starts[cut - 1], line_start + 1)  # take the character before along
                if cut <= line_start:
                    cut = i - 1 if i - 1 > line_start else i
            used -= sum(widths[cut:i])
            i = cut
            out.append((line_start, i, used))
        else:
            continue
        max_width = max_widths[min(len(out), len(max_widths) - 1)]
        line_start = i
        used = 0
    if i > line_start:
        out.append((line_start, i, used))
    return out


def _width_at(max_widths: list[float], n: int) -> float:
    return max_widths[min(n, len(max_widths) - 1)]


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):  # noqa: N803 (reportlab's names)
    glyphs = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(reportlab_paragraph.cjkU(t, f, encoding) for t in text)
        else:  # an image or a line break: a fragment without text
            glyphs.append(reportlab_paragraph.cjkU(text, f, encoding))
    widths = []
    for g in glyphs:
        w = g.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = _width_at(maxWidths, 0)
            w = w.normalizedValue(_width_at(maxWidths, 0))
        widths.append(w)
    text = "".join(str(g) or "\ufffc" for g in glyphs)
    hard = {n for n, g in enumerate(glyphs) if hasattr(g.frag, "lineBreak")}
    lines = []
    for k, (start, end, used) in enumerate(_lines(text, widths, list(maxWidths), hard)):
        max_width = _width_at(maxWidths, k)
        lines.append(
            reportlab_paragraph.makeCJKParaLine(
                glyphs[start:end], max_width, used, max_width - used, end - 1 in hard, calcBounds
            )
        )
    return reportlab_paragraph.ParaLines(kind=1, lines=lines)


def word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):  # noqa: N803 (reportlab's names)
    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]  # noqa: N806
    widths = reportlab_textsplit.getCharWidths(text, fontName, fontSize)
    return [
        [_width_at(maxWidths, k) - used, text[start:end]]
        for k, (start, end, used) in enumerate(_lines(text, widths, list(maxWidths), set()))
    ]


reportlab_paragraph.cjkFragSplit = cjk_frag_split
reportlab_paragraph.wordSplit = word_split
