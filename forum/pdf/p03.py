"""แบบ ผ.03 บัญชีครุภัณฑ์: one running list of equipment with its แผนงาน, หมวด and ประเภท."""

from __future__ import annotations

from .annex import AnnexGroup, AnnexProject
from .layout import GRAND_FILL, Item
from .p02 import BUDGET_TITLE, YEARS, DetailRenderer, program_label
from .thai_text import clean


class P03Renderer(DetailRenderer):
    kinds = ("p03",)
    item_word = "รายการ"
    total_span_until = "target"
    reason_takes_from = ("program", "target")
    columns = (
        ("no", "ที่", 0),
        ("program", "แผนงาน", 1.0),
        ("category", "หมวด", 0.8),
        ("item_type", "ประเภท", 0.8),
        ("target", "เป้าหมาย\n(ผลผลิตของครุภัณฑ์)", 1.8),
        (YEARS, BUDGET_TITLE, 0),
        ("responsible_unit", "หน่วยงาน\nรับผิดชอบหลัก", 0.8),
        ("reason", "เหตุผล\nความจำเป็น", 1.0),
    )

    @classmethod
    def value(cls, project: AnnexProject, group: AnnexGroup, key: str, old: bool) -> str:
        if key == "program":
            return program_label(group.program_name)
        if key == "target":
            title = clean(project.old("title") if old else project.title)
            target = clean(project.old("target") if old else project.target)
            if title and target and not target.startswith(title):
                return f"{title}\n{target}"
            return target or title
        return super().value(project, group, key, old)

    def items(self) -> list[Item]:
        items: list[Item] = list(self.title_items())
        shown: list[AnnexProject] = []
        for group in self.doc.groups:
            for p in group.projects:
                if p.kind not in self.kinds:
                    continue
                shown.append(p)
                number = (
                    self.digits(str(p.number))
                    if p.number is not None
                    else self.digits(str(len(shown)))
                )
                items.append(self.project_row(number, p, group))
        items.append(self.total_row("รวม", shown, GRAND_FILL))
        return items
