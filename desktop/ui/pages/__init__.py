"""The pages of the main window, one module each, in the order of the navigation.

The navigation lists every page from ``PAGES`` alone; a page's module is imported and the page built the first
time it is shown or asked for, so the window paints without loading what the reports, exchange or import pages
need (openpyxl, reportlab, cryptography's ciphers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.ui.pages.base import Page


@dataclass(frozen=True)
class PageEntry:
    key: str
    title: str
    module: str  # under desktop.ui.pages
    name: str  # the Page subclass in it

    def load(self) -> type[Page]:
        cls = getattr(importlib.import_module(f"desktop.ui.pages.{self.module}"), self.name)
        cls.key, cls.title = self.key, self.title  # the one place they are said
        return cls


PAGES = (
    PageEntry("dashboard", "工作台", "dashboard", "DashboardPage"),
    PageEntry("facilities", "机构", "facilities", "FacilitiesPage"),
    PageEntry("divisions", "区划与人口", "divisions", "DivisionsPage"),
    PageEntry("staff", "人员", "staff", "StaffPage"),
    PageEntry("beds", "床位核查", "beds", "BedsPage"),
    PageEntry("projects", "建设项目", "projects", "ProjectsPage"),
    PageEntry("tasks", "重点任务", "tasks", "TasksPage"),
    PageEntry("indicators", "规划指标", "indicators", "IndicatorsPage"),
    PageEntry("findings", "问题清单", "findings", "FindingsPage"),
    PageEntry("history", "修改记录", "history", "HistoryPage"),
    PageEntry("reports", "报表", "reports", "ReportsPage"),
    PageEntry("exchange", "数据交换", "exchange", "ExchangePage"),
    PageEntry("settings", "设置", "settings", "SettingsPage"),
)
ENTRIES = {entry.key: entry for entry in PAGES}


class Pages(Mapping[str, "Page"]):
    """The window's pages by key, in the navigation's order; each built on first use by ``build``."""

    def __init__(self, build: Callable[[PageEntry], Page]) -> None:
        self._build = build
        self._built: dict[str, Page] = {}

    def __getitem__(self, key: str) -> Page:
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self._build(ENTRIES[key])
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(ENTRIES)

    def __len__(self) -> int:
        return len(ENTRIES)

    def built(self) -> list[Page]:
        """The pages built so far (the others have nothing stale, unsaved or to enable)."""
        return list(self._built.values())

    def index(self, key: str) -> int:
        return list(ENTRIES).index(key)
