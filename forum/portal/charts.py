"""Horizontal bar charts laid out on the server, drawn as inline SVG by a template macro.

Horizontal bars suit a 360 px phone: each group's label sits on its own line above its
bars, so long Thai names need no rotation. Colours come from CSS classes (series-0 …);
the Content-Security-Policy allows no inline styles, and none are needed.
"""

from dataclasses import dataclass

WIDTH = 320
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
VALUE_ROOM = 78  # room right of the longest bar for its value, e.g. "12,500,000"
LABEL_CHARS = 48


@dataclass
class Bar:
    x: int
    y: int
    width: float
    height: int
    series: int
    value: int
    text: str
    text_x: float
    text_y: int


@dataclass
class Group:
    label: str
    short_label: str
    label_y: int
    bars: list[Bar]


@dataclass
class BarChart:
    id: str
    title: str
    series: list[str]
    groups: list[Group]
    width: int
    height: int

    @property
    def empty(self) -> bool:
        return all(bar.value == 0 for group in self.groups for bar in group.bars)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    series: list[str],
    groups: list[tuple[str, list[int]]],
    fmt=lambda v: f"{v:,}",
) -> BarChart:
    """Lay out one bar per series value in each group, scaled to the largest value."""
    largest = max((v for _label, values in groups for v in values), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / largest
    y = 0
    laid_out = []
    for label, values in groups:
        label_y = y + LABEL_HEIGHT - 5
        y += LABEL_HEIGHT
        bars = []
        for index, value in enumerate(values):
            width = round(value * scale, 1)
            bars.append(
                Bar(
                    x=0, y=y, width=width, height=BAR_HEIGHT, series=index, value=value,
                    text=fmt(value), text_x=width + 4, text_y=y + BAR_HEIGHT - 3,
                )
            )  # fmt: skip
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
        laid_out.append(Group(label, shorten(label), label_y, bars))
    return BarChart(chart_id, title, series, laid_out, WIDTH, max(y, 1))
