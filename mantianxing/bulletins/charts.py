"""The bulletin's charts, drawn with matplotlib's object API (no pyplot state: safe in web threads).

Every text, numbers included, is set in the packaged CJK font (`fonts.chart_font`), so a chart reads
the same on any machine. Unit names on the category axis are stacked one character per line
when there are many units: vertical Chinese stays readable where rotated text would not.
matplotlib is imported inside the functions, keeping it out of web start-up.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from mantianxing.bulletins.fonts import chart_font
from mantianxing.bulletins.gather import Ranking
from mantianxing.bulletins.wording import percent, short_name
from mantianxing.monitoring.choices import Status
from mantianxing.monitoring.definitions import Definition
from mantianxing.monitoring.progress import Row

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 200
WIDTH = 6.2  # inches: the text width of an A4 page with GB/T 9704 margins (156 mm)
HEIGHT = 3.1
STACK_ABOVE = 10  # more categories than this: stack the names vertically
# Completion is drawn up to this multiple of the target; longer bars are cut and labelled.
COMPLETION_CAP = 2.0

BLUE, RED, GREEN, ORANGE, GREY, INK = "#2F5597", "#C00000", "#548235", "#ED7D31", "#A6A6A6", "#262626"
STATUS_COLOURS: dict[Status | None, str] = {Status.DONE: GREEN, Status.AHEAD: BLUE, Status.BEHIND: RED}


def _figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=2, colors=INK)
    return figure, axes


def _title(figure: Figure, text: str) -> None:
    figure.suptitle(text, fontproperties=chart_font(), fontsize=11, color=INK)


def _categories(axes: Axes, names: list[str]) -> None:
    stacked = len(names) > STACK_ABOVE
    labels = ["\n".join(short_name(n)) if stacked else short_name(n) for n in names]
    axes.set_xticks(
        range(len(names)),
        labels,
        fontproperties=chart_font(),
        fontsize=7 if stacked else 8,
        linespacing=1.0,
        color=INK,
    )
    axes.set_xlim(-0.6, len(names) - 0.4)


def _values_axis(axes: Axes, ticks: Sequence[float], labels: list[str]) -> None:
    """Fixed ticks, labelled in the packaged font (automatic tick labels would use the default font)."""
    axes.set_yticks(ticks, labels, fontproperties=chart_font(), fontsize=8, color=INK)
    axes.grid(axis="y", color="#D9D9D9", linewidth=0.5)
    axes.set_axisbelow(True)


def _legend(figure: Figure, handles: Sequence[Artist]) -> None:
    """Under the plot, where no bar can run into it."""
    legend = figure.legend(
        handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, prop=chart_font()
    )
    for text in legend.get_texts():
        text.set_fontsize(7.5)


def _label(axes: Axes, x: float, y: float, text: str) -> None:
    """A figure written on top of a bar."""
    axes.text(x, y, text, ha="center", va="bottom", fontproperties=chart_font(), fontsize=6, color=INK)


def _nice_ticks(top: float, count: int = 5) -> list[float]:
    from matplotlib.ticker import MaxNLocator

    return [t for t in MaxNLocator(count).tick_values(0, top) if 0 <= t <= top * 1.0001]


def completion_figure(definition: Definition, rows: list[Row], time_progress: float) -> Figure:
    """Each unit's completion of its target as a bar, against the time-progress line."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ordered = sorted(rows, key=lambda r: (-(r.completion or 0), r.unit.code))
    figure, axes = _figure()
    values = [min(r.completion or 0, COMPLETION_CAP) for r in ordered]
    axes.bar(
        range(len(ordered)),
        values,
        width=0.62,
        color=[STATUS_COLOURS.get(r.status, GREY) for r in ordered],
    )
    top = max([*values, time_progress * 1.3, 0.1]) * 1.12
    for index, row in enumerate(ordered):
        if (row.completion or 0) > COMPLETION_CAP:
            _label(axes, index, values[index], percent(row.completion, 0))
    axes.axhline(time_progress, color=ORANGE, linestyle="--", linewidth=1.2)
    axes.set_ylim(0, top)
    ticks = _nice_ticks(top)
    _values_axis(axes, ticks, [f"{t * 100:.0f}%" for t in ticks])
    _categories(axes, [r.unit.name for r in ordered])
    _title(figure, f"各区县{definition.name}目标完成率（序时进度 {percent(time_progress)}）")
    _legend(
        figure,
        [
            Patch(color=GREEN, label="已完成"),
            Patch(color=BLUE, label="快于序时进度"),
            Patch(color=RED, label="慢于序时进度"),
            Line2D([], [], color=ORANGE, linestyle="--", label="序时进度"),
        ],
    )
    return figure


def score_figure(ranking: Ranking) -> Figure:
    """The evaluation scores in rank order; units with a reward stand out."""
    from matplotlib.patches import Patch

    figure, axes = _figure()
    rows = ranking.rows
    scores = [row.score for row in rows]
    axes.bar(
        range(len(rows)),
        scores,
        width=0.62,
        color=[RED if row.reward > 0 else BLUE for row in rows],
    )
    low = min([*scores, 0.0])
    top = max([*scores, 0.0]) * 1.15 or 1.0
    if len(rows) <= 2 * STACK_ABOVE:
        for index, score in enumerate(scores):
            _label(axes, index, score, _score(score))
    axes.set_ylim(low * 1.15, top)
    ticks = _nice_ticks(top)
    _values_axis(axes, ticks, [f"{t:g}" for t in ticks])
    _categories(axes, [row.unit_name for row in rows])
    _title(figure, f"{ranking.period_words}各区县评价得分（按名次排列）")
    _legend(figure, [Patch(color=RED, label="获得奖励"), Patch(color=BLUE, label="未获奖励")])
    return figure


def robustness_figure(ranking: Ranking) -> Figure | None:
    """Each unit's rank and the 5%–95% range of its rank when weights and normalisation vary."""
    rows = [row for row in ranking.rows if row.rank_p5 is not None and row.rank_p95 is not None]
    if not rows:
        return None
    from matplotlib.lines import Line2D

    figure, axes = _figure()
    positions = range(len(rows))
    low = [row.rank_p5 or row.rank for row in rows]
    high = [row.rank_p95 or row.rank for row in rows]
    axes.vlines(positions, low, high, colors=BLUE, linewidth=3)
    axes.plot(positions, [row.rank for row in rows], "o", color=RED, markersize=4)
    worst = max(*high, *(row.rank for row in rows))
    axes.set_ylim(worst + 0.7, 0.3)  # rank 1 at the top
    step = 1 if worst <= 12 else 2 if worst <= 24 else 5
    ticks = [1, *range(step, worst + 1, step)] if step > 1 else list(range(1, worst + 1))
    _values_axis(axes, ticks, [str(t) for t in ticks])
    _categories(axes, [row.unit_name for row in rows])
    axes.set_ylabel(
        "名\n次", fontproperties=chart_font(), fontsize=8, color=INK, rotation=0, va="center", labelpad=10
    )
    _title(figure, f"名次稳健性：{ranking.draws}次扰动下的名次区间")
    _legend(
        figure,
        [
            Line2D([], [], color=RED, marker="o", linestyle="", markersize=4, label="本次名次"),
            Line2D([], [], color=BLUE, linewidth=3, label="名次区间（5%–95%）"),
        ],
    )
    return figure


def _score(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def png(figure: Figure, dpi: int = DPI) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
