"""数据交换 as the city's clerk uses it: a county's file previewed and received, approved, reopened with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy import func, select

from db.models import CountyProfile, Division, StaffMember
from desktop.exchange.export import export_area
from desktop.periods import Period
from desktop.ui.main_window import MainWindow

from .conftest import TODAY, answer


def _city_window(qtbot, db) -> MainWindow:
    with db.session() as s:
        city = Division(code="539900000000", name="云川市", kind="city")
        s.add(city)
        s.flush()
        s.add(CountyProfile(id=1, division_id=city.id, bureau_name="云川市卫生健康委员会"))
        s.commit()
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_county_file_received_approved_and_reopened_in_the_window(qtbot, db, demo_db, tmp_path, monkeypatch):
    with demo_db.session() as s:
        county_file = export_area(s, period=Period.parse("2026Q3"), out=tmp_path / "清溪县.chx", user="县局").path
        s.commit()
        staff = s.scalar(select(func.count()).select_from(StaffMember))
    win = _city_window(qtbot, db)
    page = win.show_page("exchange")
    assert page.header.text() == "数据交换 · 2026年第三季度"

    previews = []
    monkeypatch.setattr(win, "ask", lambda box: previews.append(box.informativeText()) or answer(box, "收下"))
    assert page.import_file(county_file)
    assert f"人员：新增 {staff}，修改 0，未变 0" in previews[0] and "签名指纹" in previews[0]
    (row,) = page.model.rows
    assert (row.name, row.label) == ("清溪县", "待确认指纹") and "待确认指纹 1 个" in page.summary.text()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(StaffMember)) == 0  # not counted before approval

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append(text))
    page.view.selectRow(0)
    page.approve_selected()  # a first-time sender: its key is not yet confirmed
    assert warnings and "尚未确认" in warnings[0] and page.model.rows[0].label == "待确认指纹"
    asked = []
    answer_text = ("已电话核对，一致", True)
    monkeypatch.setattr(QInputDialog, "getText", lambda _p, _t, text, **k: asked.append(text) or answer_text)
    assert page.confirm_selected() and page.model.rows[0].label == "待审核" and "待审核 1 个" in page.summary.text()
    assert page.model.rows[0].fingerprint in asked[0] and "已确认清溪县的签名指纹" in win.statusBar().currentMessage()

    page.view.selectRow(0)
    page.approve_selected()
    assert page.model.rows[0].label == "已审核" and "已审核通过清溪县" in win.statusBar().currentMessage()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(StaffMember)) == staff

    warnings.clear()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    page.view.selectRow(0)
    page.reopen_selected()
    assert warnings and "须写明原因" in warnings[0] and page.model.rows[0].label == "已审核"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("人员数据有误，退回更正", True))
    page.reopen_selected()
    assert page.model.rows[0].label == "已重新打开" and "人员数据有误，退回更正" in page.model.data(
        page.model.index(0, 5)
    )


def test_a_tampered_file_is_refused_with_the_reason(qtbot, db, demo_db, tmp_path, monkeypatch):
    with demo_db.session() as s:
        county_file = export_area(s, period=Period.parse("2026Q3"), out=tmp_path / "清溪县.chx", user="县局").path
        s.commit()
    data = bytearray(county_file.read_bytes())
    data[len(data) // 2] ^= 0x20
    county_file.write_bytes(bytes(data))
    win = _city_window(qtbot, db)
    page = win.show_page("exchange")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append((title, text)))
    assert not page.import_file(county_file)
    assert warnings[0][0] == "无法导入" and "签名校验未通过" in warnings[0][1]
    assert page.model.rowCount() == 0


def test_a_senders_new_key_is_accepted_from_the_page_after_a_phone_check(qtbot, db, demo_db, tmp_path, monkeypatch):
    from db.models import ExchangeIdentity

    period = Period.parse("2026Q3")
    with demo_db.session() as s:
        first = export_area(s, period=period, out=tmp_path / "旧.chx", user="县局").path
        s.commit()
    win = _city_window(qtbot, db)
    page = win.show_page("exchange")
    monkeypatch.setattr(win, "ask", lambda box: answer(box, "收下"))
    assert page.import_file(first)
    with demo_db.session() as s:  # the county reinstalled: a new key, and the same period sent again
        s.delete(s.get(ExchangeIdentity, 1))
        s.commit()
        second = export_area(s, period=period, out=tmp_path / "新.chx", user="县局").path
        s.commit()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append(text))
    assert not page.import_file(second)
    assert "改认新密钥" in warnings[0]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已电话核实，县局重装软件", True))
    assert page.rekey_file(second) and "已改认新密钥" in win.statusBar().currentMessage()
    assert page.import_file(second)
    assert page.model.rows[0].label == "待审核" and page.model.rows[0].receipt.file_name == "新.chx"
