"""A PNG of every page on the demo county, with a CJK font so the Chinese is legible."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.ui.screenshots import cjk_families, save_pages


def test_every_page_is_saved_as_a_png_with_chinese_text(window, tmp_path):
    assert cjk_families(), "no font for Simplified Chinese: install fonts-wqy-microhei"
    window.resize(1366, 800)
    paths = save_pages(window, tmp_path)
    assert [p.name for p in paths][:3] == ["01-dashboard.png", "02-facilities.png", "03-divisions.png"]
    assert len(paths) == len(window.pages)
    for path in paths:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1366, 800)
        colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 800, 7)}
        assert len(colours) > 20, f"{path.name} looks blank"
