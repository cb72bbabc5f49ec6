"""Charts drawn on the server as SVG: no JavaScript library, nothing from a CDN, readable on a
390 px phone (they scale to the width of the card; text stays at least ~11 px).

Every chart has a table of the same numbers next to it in the template, for screen readers
and for people who want the exact figures.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.thai_dates import THAI_MONTHS_SHORT
from dashboard.selectors import Month, Row

WIDTH = 340
TOTAL_COLOR = "#0b5394"
COMPLETED_COLOR = "#2e7d32"
GRID_COLOR = "#d0d7de"
TEXT_COLOR = "#1f2328"
ROW_HEIGHT = 46
LABEL_MAX_CHARS = 38


def _svg(body: str, *, height: int, title: str, chart_id: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{body}</svg>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def horizontal_bars(
    rows: Sequence[Row],
    *,
    title: str,
    chart_id: str,
    show_completed: bool = True,
    colors: Sequence[str] | None = None,
) -> SafeString:
    """One row per item: its name on a line of its own (long Thai names fit a phone), then a
    bar for all complaints and, under it, a thinner one for the completed ones."""
    top = max((row.total for row in rows), default=0) or 1
    bar_space = WIDTH - 48
    parts = []
    for index, row in enumerate(rows):
        y = index * ROW_HEIGHT
        color = colors[index % len(colors)] if colors else TOTAL_COLOR
        width = round(bar_space * row.total / top, 1)
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="13" fill="{TEXT_COLOR}">'
            f"{escape(_short(row.label))}</text>"
            f'<rect x="0" y="{y + 18}" width="{width}" height="12" rx="2" fill="{color}"/>'
            f'<text x="{width + 4}" y="{y + 29}" font-size="12" fill="{TEXT_COLOR}">'
            f"{row.total:,}</text>"
        )
        if show_completed:
            done = round(bar_space * row.completed / top, 1)
            parts.append(
                f'<rect x="0" y="{y + 32}" width="{done}" height="7" rx="2" '
                f'fill="{COMPLETED_COLOR}"/>'
                f'<text x="{done + 4}" y="{y + 40}" font-size="10" fill="{COMPLETED_COLOR}">'
                f"{row.completed:,}</text>"
            )
    height = max(len(rows), 1) * ROW_HEIGHT
    return _svg("".join(parts), height=height, title=title, chart_id=chart_id)


def _nice_top(value: int) -> int:
    """A round number at or above ``value`` for the top grid line (1, 2, 5 × 10ⁿ)."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def monthly_columns(months: Sequence[Month], *, title: str, chart_id: str) -> SafeString:
    """Complaints received per month (blue) with how many of them are completed (green)
    beside them; month names under the columns, the year under each January and the first."""
    height, left, bottom, top_pad = 210, 34, 36, 10
    plot_h = height - bottom - top_pad
    top = _nice_top(max((m.total for m in months), default=0))
    slot = (WIDTH - left) / max(len(months), 1)
    bar = max(min(slot * 0.38, 14), 1.5)
    every = 1 if len(months) <= 12 else (2 if len(months) <= 24 else 3)
    parts = []
    for fraction in (0, 0.5, 1):
        y = round(top_pad + plot_h * (1 - fraction), 1)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH}" y1="{y}" y2="{y}" stroke="{GRID_COLOR}"/>'
            f'<text x="{left - 4}" y="{y + 4}" font-size="11" text-anchor="end" '
            f'fill="{TEXT_COLOR}">{int(top * fraction):,}</text>'
        )
    for index, month in enumerate(months):
        x = left + slot * index + slot / 2
        for value, color, dx in (
            (month.total, TOTAL_COLOR, -bar),
            (month.completed, COMPLETED_COLOR, 0),
        ):
            h = round(plot_h * value / top, 1)
            parts.append(
                f'<rect x="{round(x + dx, 1)}" y="{round(top_pad + plot_h - h, 1)}" '
                f'width="{round(bar, 1)}" height="{h}" fill="{color}"/>'
            )
        if index % every == 0:
            day = month.first_day
            parts.append(
                f'<text x="{round(x, 1)}" y="{height - bottom + 14}" font-size="11" '
                f'text-anchor="middle" fill="{TEXT_COLOR}">{THAI_MONTHS_SHORT[day.month - 1]}'
                "</text>"
            )
            if index == 0 or day.month == 1:
                parts.append(
                    f'<text x="{round(x, 1)}" y="{height - bottom + 28}" font-size="10" '
                    f'text-anchor="middle" fill="{TEXT_COLOR}">{day.year + 543}</text>'
                )
    return _svg("".join(parts), height=height, title=title, chart_id=chart_id)
