"""A small chart drawn on the server as SVG: it needs no JavaScript and no inline style.

Everything is built with `format_html`, so any text that reaches the SVG (a
company's name in a point's tooltip) is escaped like the rest of the page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from apps.journal.insights import RoundScores

# The drawing's own units. The SVG is stretched to its container's width, so
# these set the proportions and the size of the text relative to the lines.
WIDTH = 360
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 30, 16, 40, 46
LOWEST, HIGHEST = 1, 5
# More date labels than this overlap on a phone; the points stay, some labels go.
MAX_X_LABELS = 6
# About the width of "Round 12" at the labels' size.
MIN_LABEL_GAP = 54

CONFIDENCE_COLOUR = "#1d5c63"
GUT_COLOUR = "#a35a00"
GRID_COLOUR = "#e2e5df"
TEXT_COLOUR = "#4a5260"


@dataclass(frozen=True)
class _Series:
    key: str
    label: str
    colour: str
    dashes: str


CONFIDENCE = _Series("confidence", "Confidence", CONFIDENCE_COLOUR, "")
GUT = _Series("gut_score", "Gut score", GUT_COLOUR, "5 4")


def scores_chart(points: Sequence[RoundScores], *, chart_id: str = "scores-chart") -> SafeString | None:
    """The "confidence and gut score by round" chart, or None when there is nothing to draw."""
    if not points:
        return None
    xs = _x_positions(len(points))
    drawing = [
        _title_and_description(points, chart_id),
        _grid(),
        _x_labels(points, xs),
        _legend(),
        _series_lines(points, xs, GUT),
        _series_lines(points, xs, CONFIDENCE),
        # Squares go under circles: where both scores are equal the square's
        # outline still shows around the circle.
        _gut_points(points, xs),
        _confidence_points(points, xs),
    ]
    return _svg(chart_id, _join(drawing))


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _number(value: float) -> str:
    return f"{value:.1f}"


def _x_positions(count: int) -> list[float]:
    plot_width = WIDTH - LEFT - RIGHT
    if count == 1:
        return [LEFT + plot_width / 2]
    # A little room at both ends so the first and last points are not cut in half.
    inset = 12
    step = (plot_width - 2 * inset) / (count - 1)
    return [LEFT + inset + index * step for index in range(count)]


def _y(score: int) -> float:
    plot_height = HEIGHT - TOP - BOTTOM
    return TOP + (HIGHEST - score) * plot_height / (HIGHEST - LOWEST)


def _svg(chart_id: str, drawing: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%"'
        ' class="d-block scores-chart" role="img" aria-labelledby="{}-title {}-desc"'
        ' preserveAspectRatio="xMidYMid meet"'
        ' font-family="system-ui, -apple-system, sans-serif" font-size="12" fill="{}">{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        TEXT_COLOUR,
        drawing,
    )


def _title_and_description(points: Sequence[RoundScores], chart_id: str) -> SafeString:
    return format_html(
        '<title id="{}-title">Confidence and gut score after each interview</title>'
        '<desc id="{}-desc">{}</desc>',
        chart_id,
        chart_id,
        _description(points),
    )


def _description(points: Sequence[RoundScores]) -> str:
    count = len(points)
    first, last = points[0], points[-1]
    interviews = "1 interview" if count == 1 else f"{count} interviews"
    span = _long_date(first.date) if count == 1 else f"{_long_date(first.date)} to {_long_date(last.date)}"
    return (
        f"Scores from 1 (low) to 5 (high) for {interviews}, {span}, oldest on the left. "
        f"Latest: {_score_sentence(last)}."
    )


def _score_sentence(point: RoundScores) -> str:
    confidence = "not scored" if point.confidence is None else f"{point.confidence} of 5"
    gut = "not scored" if point.gut_score is None else f"{point.gut_score} of 5"
    return f"confidence {confidence}, gut score {gut}"


def _long_date(date: dt.date) -> str:
    return format_date(date, "j M Y")


def _grid() -> SafeString:
    return _join(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
            LEFT,
            WIDTH - RIGHT,
            _number(_y(score)),
            _number(_y(score)),
            GRID_COLOUR,
            LEFT - 8,
            _number(_y(score)),
            score,
        )
        for score in range(LOWEST, HIGHEST + 1)
    )


def _labelled_indexes(xs: list[float]) -> list[int]:
    """Which interviews get a date label: all of them, or every `step`-th and the latest.

    The step is the same all along; the latest is always labelled and takes
    the place of the last regular label when the two would overlap.
    """
    count = len(xs)
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = math.ceil((count - 1) / (MAX_X_LABELS - 1))
    indexes = list(range(0, count, step))
    latest = count - 1
    if indexes[-1] != latest:
        if xs[latest] - xs[indexes[-1]] < MIN_LABEL_GAP:
            indexes.pop()
        indexes.append(latest)
    return indexes


def _x_labels(points: Sequence[RoundScores], xs: list[float]) -> SafeString:
    # Within one year the day and month are enough; across years the month and year say more.
    one_year = points[0].date.year == points[-1].date.year
    date_format = "j M" if one_year else "M Y"
    baseline = HEIGHT - BOTTOM + 20
    return _join(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle">Round {}'
            '<tspan x="{}" dy="14" font-size="11">{}</tspan></text>',
            _number(xs[index]),
            baseline,
            points[index].round_number,
            _number(xs[index]),
            format_date(points[index].date, date_format),
        )
        for index in _labelled_indexes(xs)
    )


def _legend() -> SafeString:
    y = 16
    return format_html(
        '<g aria-hidden="true">'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>'
        '<circle cx="{}" cy="{}" r="4.5" fill="{}"/>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
        '<rect x="{}" y="{}" width="9" height="9" fill="#fff" stroke="{}" stroke-width="2"/>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text>'
        "</g>",
        LEFT,
        LEFT + 24,
        y,
        y,
        CONFIDENCE.colour,
        LEFT + 12,
        y,
        CONFIDENCE.colour,
        LEFT + 30,
        y,
        CONFIDENCE.label,
        LEFT + 120,
        LEFT + 144,
        y,
        y,
        GUT.colour,
        GUT.dashes,
        _number(LEFT + 132 - 4.5),
        _number(y - 4.5),
        GUT.colour,
        LEFT + 150,
        y,
        GUT.label,
    )


def _score(point: RoundScores, series: _Series) -> int | None:
    return getattr(point, series.key)


def _runs(points: Sequence[RoundScores], xs: list[float], series: _Series) -> list[list[tuple[float, int]]]:
    """Consecutive scored points; an unscored interview breaks the line instead of being bridged."""
    runs: list[list[tuple[float, int]]] = [[]]
    for point, x in zip(points, xs, strict=True):
        score = _score(point, series)
        if score is None:
            runs.append([])
        else:
            runs[-1].append((x, score))
    return [run for run in runs if len(run) > 1]


def _series_lines(points: Sequence[RoundScores], xs: list[float], series: _Series) -> SafeString:
    return _join(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"'
            ' stroke-dasharray="{}" data-series="{}"/>',
            " ".join(f"{_number(x)},{_number(_y(score))}" for x, score in run),
            series.colour,
            series.dashes or "none",
            series.key,
        )
        for run in _runs(points, xs, series)
    )


def _point_title(point: RoundScores, series: _Series, score: int) -> SafeString:
    return format_html(
        "<title>Round {} at {}, {}: {} {} of 5</title>",
        point.round_number,
        point.company,
        _long_date(point.date),
        series.label.lower(),
        score,
    )


def _confidence_points(points: Sequence[RoundScores], xs: list[float]) -> SafeString:
    return _join(
        format_html(
            '<circle cx="{}" cy="{}" r="4.5" fill="{}" data-series="confidence">{}</circle>',
            _number(x),
            _number(_y(point.confidence)),
            CONFIDENCE.colour,
            _point_title(point, CONFIDENCE, point.confidence),
        )
        for point, x in zip(points, xs, strict=True)
        if point.confidence is not None
    )


def _gut_points(points: Sequence[RoundScores], xs: list[float]) -> SafeString:
    return _join(
        format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="#fff" stroke="{}" stroke-width="2"'
            ' data-series="gut_score">{}</rect>',
            _number(x - 4.5),
            _number(_y(point.gut_score) - 4.5),
            GUT.colour,
            _point_title(point, GUT, point.gut_score),
        )
        for point, x in zip(points, xs, strict=True)
        if point.gut_score is not None
    )
