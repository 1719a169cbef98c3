"""Plain data for the plan annexes (แบบ ผ.01, ผ.02, ผ.02/1, ผ.02/2, ผ.03).

Nothing here knows about Flask or the database: whoever exports a plan builds an
:class:`AnnexDocument` and hands it to :func:`forum.pdf.render_annex` or
:func:`forum.pdf.render_xlsx`.  Budgets are whole baht as ``int`` keyed by Buddhist-era year.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Form = Literal["p01", "p02", "p02-1", "p02-2", "p03"]
Kind = Literal["p02", "p02-1", "p02-2", "p03"]
Layout = Literal["strategy", "issue"]
Numbering = Literal["group", "running"]

FORMS: tuple[str, ...] = ("p01", "p02", "p02-1", "p02-2", "p03")
KINDS: tuple[str, ...] = ("p02", "p02-1", "p02-2", "p03")

#: Label printed at the top right of each page.
FORM_LABELS = {
    "p01": "แบบ ผ.01",
    "p02": "แบบ ผ.02",
    "p02-1": "แบบ ผ.02/1",
    "p02-2": "แบบ ผ.02/2",
    "p03": "แบบ ผ.03",
}

#: First title line of each form.
FORM_TITLES = {
    "p01": "บัญชีสรุปโครงการพัฒนา",
    "p02": "รายละเอียดโครงการพัฒนา",
    "p02-1": "รายละเอียดโครงการพัฒนา",
    "p02-2": "รายละเอียดโครงการพัฒนา",
    "p03": "บัญชีครุภัณฑ์",
}

#: Subtitle line ("สำหรับ ...") of the forms that have one.
FORM_SUBTITLES = {
    "p02-1": "สำหรับ ประสานโครงการพัฒนาองค์การบริหารส่วนจังหวัด",
    "p02-2": "สำหรับ โครงการพัฒนาที่เกินศักยภาพขององค์กรปกครองส่วนท้องถิ่น",
}

#: Alignment lines (ความเชื่อมโยง) in the official form's order, lettered ก.–จ. by that place
#: (a line that is not set leaves its letter unused).
ALIGNMENT_KEYS: tuple[str, ...] = (
    "national_strategy",
    "national_plan",
    "sdgs",
    "province_strategy",
    "local_strategy",
)
ALIGNMENT_LABELS = {
    "national_strategy": "ยุทธศาสตร์ชาติ",
    "national_plan": "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
    "sdgs": "เป้าหมายการพัฒนาที่ยั่งยืน (SDGs)",
    "province_strategy": "ยุทธศาสตร์จังหวัด",
    "local_strategy": "ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัด",
}
THAI_LETTERS = "กขคงจฉชซ"

#: Fields of a project that a change (เปลี่ยนแปลง) may carry old values for.
CHANGEABLE_FIELDS: tuple[str, ...] = (
    "title",
    "objective",
    "target",
    "budgets",
    "kpi",
    "expected_result",
    "responsible_unit",
    "category",
    "item_type",
)


class AnnexError(ValueError):
    """The annex data cannot be rendered."""


class EmptyAnnexError(AnnexError):
    """The document has no project to show; no PDF is made rather than an empty form."""


class AnnexDataError(AnnexError):
    """A field has a value the forms cannot show (a float budget, a year outside the plan...)."""


@dataclass(slots=True)
class AnnexProject:
    title: str
    objective: str = ""
    target: str = ""
    budgets: dict[int, int] = field(default_factory=dict)
    kpi: str = ""
    expected_result: str = ""
    responsible_unit: str = ""
    #: number printed in the ที่ column; None = numbered automatically
    number: int | str | None = None
    #: which annex the project belongs to (used by ผ.01, which summarises all of them)
    kind: Kind = "p02"
    #: เหตุผลความจำเป็น of an amendment (เพิ่มเติม / เปลี่ยนแปลง)
    reason: str | None = None
    #: for a change (เปลี่ยนแปลง): old values of the fields that change, e.g.
    #: {"budgets": {2567: 500_000}, "target": "..."}; printed above the new ones
    old_values: dict[str, object] | None = None
    #: ผ.03 only: หมวด and ประเภท of the equipment
    category: str = ""
    item_type: str = ""

    def budget(self, year: int) -> int:
        return self.budgets.get(year, 0)

    def old(self, name: str):
        """Old value of field ``name`` for a change, else the current value."""
        if self.old_values and name in self.old_values:
            return self.old_values[name]
        return getattr(self, name)

    @property
    def is_change(self) -> bool:
        return bool(self.old_values)


@dataclass(slots=True)
class AnnexGroup:
    strategy_number: int | str
    strategy_title: str
    program_name: str = ""
    tactic_number: int | str | None = None
    tactic_title: str = ""
    #: keys from ALIGNMENT_KEYS -> text; only the ones set are printed
    alignment: dict[str, str] = field(default_factory=dict)
    projects: list[AnnexProject] = field(default_factory=list)


@dataclass(slots=True)
class AnnexDocument:
    form: Form
    org_name: str
    plan_title: str
    years: list[int]
    groups: list[AnnexGroup] = field(default_factory=list)
    district: str = ""
    province: str = ""
    layout: Layout = "strategy"
    #: e.g. "เพิ่มเติม ครั้งที่ 1/2567": adds the เหตุผลความจำเป็น column
    amendment: str | None = None
    thai_digits: bool = False
    #: "group": ที่ restarts at 1 in every group; "running": one sequence for the annex
    numbering: Numbering = "group"
    #: overrides FORM_SUBTITLES[form]
    subtitle: str | None = None

    def projects(self, kinds: tuple[str, ...] | None = None) -> Iterator[AnnexProject]:
        for group in self.groups:
            for project in group.projects:
                if kinds is None or project.kind in kinds:
                    yield project

    @property
    def place_line(self) -> str:
        parts = [self.org_name.strip()]
        if self.district.strip():
            district = self.district.strip()
            parts.append(district if district.startswith(("อำเภอ", "เขต")) else f"อำเภอ{district}")
        if self.province.strip():
            province = self.province.strip()
            parts.append(province if province.startswith("จังหวัด") else f"จังหวัด{province}")
        return " ".join(p for p in parts if p)


def _check_amount(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnnexDataError(f"{where}: budget must be whole baht as int, got {value!r}")
    if value < 0:
        raise AnnexDataError(f"{where}: budget must not be negative, got {value}")
    return value


def _check_budgets(budgets, years: set[int], where: str) -> None:
    if not isinstance(budgets, dict):
        raise AnnexDataError(f"{where}: budgets must be a dict year -> baht")
    for year, amount in budgets.items():
        if year not in years:
            raise AnnexDataError(
                f"{where}: budget for {year!r} is outside the plan years {sorted(years)}"
            )
        _check_amount(amount, f"{where} {year}")


def validate(doc: AnnexDocument, kinds: tuple[str, ...] | None = None) -> None:
    """Raise :class:`AnnexError` for a document the forms cannot show."""
    if doc.form not in FORMS:
        raise AnnexDataError(f"unknown form {doc.form!r}; expected one of {FORMS}")
    if doc.layout not in ("strategy", "issue"):
        raise AnnexDataError(f"unknown layout {doc.layout!r}")
    if doc.numbering not in ("group", "running"):
        raise AnnexDataError(f"unknown numbering {doc.numbering!r}")
    years = list(doc.years)
    if not years or any(isinstance(y, bool) or not isinstance(y, int) for y in years):
        raise AnnexDataError(f"years must be a non-empty list of Buddhist-era ints: {years!r}")
    if len(set(years)) != len(years) or years != sorted(years):
        raise AnnexDataError(f"years must be increasing and distinct: {years!r}")
    if len(years) > 10:
        raise AnnexDataError(f"at most 10 plan years fit on the page, got {len(years)}")
    year_set = set(years)
    count = 0
    for g, group in enumerate(doc.groups, 1):
        for p, project in enumerate(group.projects, 1):
            where = f"group {g} project {p}"
            if project.kind not in KINDS:
                raise AnnexDataError(f"{where}: unknown kind {project.kind!r}")
            _check_budgets(project.budgets, year_set, where)
            if project.old_values:
                unknown = set(project.old_values) - set(CHANGEABLE_FIELDS)
                if unknown:
                    raise AnnexDataError(f"{where}: old_values has unknown fields {unknown}")
                if "budgets" in project.old_values:
                    _check_budgets(project.old_values["budgets"], year_set, f"{where} (old)")
            if kinds is None or project.kind in kinds:
                count += 1
    if count == 0:
        raise EmptyAnnexError(
            f"{FORM_LABELS.get(doc.form, doc.form)} of {doc.org_name or 'the plan'} "
            "has no project to show"
        )
