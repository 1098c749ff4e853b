"""The pipeline funnel as a small SVG drawn on the server: no script, scales to its box."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, ROW, LABEL_WIDTH = 320, 26, 118


def funnel_svg(steps) -> SafeString | None:
    """Bars for how many applications reached each stage; None when there is nothing to draw."""
    top = max((step.reached for step in steps), default=0)
    if not top:
        return None
    bar_space = WIDTH - LABEL_WIDTH - 36
    rows = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="0" y="17" class="funnel-label">{}</text>'
        '<rect x="{}" y="4" width="{}" height="18" rx="3" class="funnel-bar"></rect>'
        '<text x="{}" y="17" class="funnel-count">{}</text></g>',
        (
            (
                index * ROW,
                step.label,
                LABEL_WIDTH,
                max(round(bar_space * step.reached / top), 2),
                LABEL_WIDTH + max(round(bar_space * step.reached / top), 2) + 6,
                step.reached,
            )
            for index, step in enumerate(steps)
        ),
    )
    height = ROW * len(steps) + 4
    summary = ", ".join(f"{step.label}: {step.reached}" for step in steps)
    return format_html(
        '<svg class="funnel" viewBox="0 0 {} {}" role="img" aria-labelledby="funnel-title funnel-desc">'
        '<title id="funnel-title">How far your applications got</title>'
        '<desc id="funnel-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        summary,
        rows,
    )
