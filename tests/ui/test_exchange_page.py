"""数据交换 as the city's clerk uses it: a county's file previewed and received, approved, reopened with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy import func, select

from db.models import CountyProfile, Division, StaffMember
from desktop.exchange.container import fingerprint
from desktop.exchange.export import export_area
from desktop.exchange.identity import box_keys, register_receiver, write_key_file
from desktop.periods import Period
from desktop.ui.main_window import MainWindow

from .conftest import TODAY, answer


def _city(db) -> None:
    with db.session() as s:
        if s.get(CountyProfile, 1) is not None:
            return
        city = Division(code="539900000000", name="云川市", kind="city")
        s.add(city)
        s.flush()
        s.add(CountyProfile(id=1, division_id=city.id, bureau_name="云川市卫生健康委员会"))
        s.commit()


def _county_knows_city(demo_db, db, tmp_path) -> None:
    """The county has registered the city's receiving key (its administrator, after the phone check)."""
    _city(db)
    with db.session() as s:
        key, _ = write_key_file(s, tmp_path / "云川市.chk")
        s.commit()
    with demo_db.session() as s:
        register_receiver(s, key, user="县局", reason="已电话核对")
        s.commit()


def _city_window(qtbot, db) -> MainWindow:
    _city(db)
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_county_file_received_approved_and_reopened_in_the_window(qtbot, db, demo_db, tmp_path, monkeypatch):
    _county_knows_city(demo_db, db, tmp_path)
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
    _county_knows_city(demo_db, db, tmp_path)
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
    _county_knows_city(demo_db, db, tmp_path)
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


def test_the_county_registers_the_citys_key_and_its_file_opens_only_at_the_city(
    qtbot, db, demo_db, tmp_path, monkeypatch
):
    """The city's clerk exports its receiving key; the county's registers it after the phone check and exports
    its quarter, which the city opens and another database cannot."""
    from desktop.ui import file_dialogs

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(text))
    city = _city_window(qtbot, db)
    key = tmp_path / "云川市接收密钥.chk"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: (str(key), ""))
    city.show_page("exchange").export_key()
    assert key.exists() and "接收密钥指纹" in shown[-1]

    county = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(county)
    page = county.show_page("exchange")
    assert "尚未登记接收单位" in page.receivers.text()
    page.export_own()  # nothing registered: said at once, before a file is chosen
    assert "还没有登记接收单位的密钥" in shown[-1]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    assert not page.register_key(key) and "须写明原因" in shown[-1]
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda _p, _t, text, **k: asked.append(text) or ("已电话核对", True))
    assert page.register_key(key)
    with db.session() as s:
        printed = fingerprint(box_keys(s).public)
    assert printed in asked[0] and printed in page.receivers.text() and "云川市" in page.receivers.text()

    sent = tmp_path / "清溪县.chx"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: (str(sent), ""))
    page.export_own()
    assert "只有“云川市”的数据库能打开" in shown[-1]
    monkeypatch.setattr(city, "ask", lambda box: answer(box, "收下"))
    assert city.show_page("exchange").import_file(sent)
    elsewhere = MainWindow(demo_db, today=TODAY)  # the county itself cannot open what it sent
    qtbot.addWidget(elsewhere)
    assert not elsewhere.show_page("exchange").import_file(sent)
    assert "是报送给“云川市”的" in shown[-1] and "只有该单位的数据库能打开" in shown[-1]
