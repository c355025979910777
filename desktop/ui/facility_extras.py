"""The parts of a facility the field form does not hold: its key equipment and the villages it serves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSpinBox, QWidget

from db.codes import EQUIPMENT
from desktop.lists import facility_extras
from desktop.records.editing import set_equipment, set_service_area


class FacilityExtrasWidget(QWidget):
    def __init__(self, win, facility_id: int) -> None:
        super().__init__()
        self.win, self.facility_id = win, facility_id
        with win.db.session() as session:
            extras = facility_extras(session, facility_id)
        row = QHBoxLayout(self)
        equipment = QFormLayout()
        equipment.addRow(QLabel("<b>主要设备（台）</b>"))
        self.spins: dict[str, QSpinBox] = {}
        for item, label in EQUIPMENT.items():
            spin = QSpinBox()
            spin.setObjectName(f"equipment_{item}")
            spin.setRange(0, 99)
            spin.setValue(extras.equipment.get(item, 0))
            equipment.addRow(label, spin)
            self.spins[item] = spin
        row.addLayout(equipment)
        area = QFormLayout()
        area.addRow(QLabel("<b>服务范围</b>（勾选服务的行政村、社区）"))
        self.villages = QListWidget()
        self.villages.setObjectName("serviceArea")
        for vid, name in extras.villages:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, vid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if vid in extras.service_area else Qt.CheckState.Unchecked)
            self.villages.addItem(item)
        area.addRow(self.villages)
        row.addLayout(area, 1)
        self.setMaximumHeight(260)

    def checked_villages(self) -> list[int]:
        out = []
        for i in range(self.villages.count()):
            item = self.villages.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def save(self) -> bool:
        """Write equipment and service area; True if anything changed."""
        with self.win.db.session() as session:
            a = set_equipment(
                session, self.facility_id, {k: s.value() for k, s in self.spins.items()}, user=self.win.user
            )
            b = set_service_area(session, self.facility_id, self.checked_villages(), user=self.win.user)
            session.commit()
        return a or b
