"""The geometry of a committee report's impact-measure charts, drawn as inline SVG by the template."""

from __future__ import annotations

from typing import Any

from actions.models import ImpactMeasure

CHART_WIDTH, CHART_HEIGHT = 480, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 58, 108, 20, 58
#: The text occupies this much above and below its baseline, in chart units (font size 14).
_TEXT_UP, _TEXT_DOWN = 11, 3


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 10
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _tick(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text}%" if unit == ImpactMeasure.Unit.PERCENT else text


def _label_position(x: float, point_y: float, label: str, lines_y: list[float], bottom_y: float) -> dict[str, Any]:
    """Where a value's label goes (above its marker unless a line or an edge is closer there than below).

    The label sits on a white box, so where a line still passes behind it the figure stays legible.
    """

    def clearance(baseline: float) -> float:
        top, bottom = baseline - _TEXT_UP, baseline + _TEXT_DOWN
        if top < _TOP - 8 or bottom > bottom_y - 2:
            return -1
        gaps = [0 if top <= line <= bottom else min(abs(line - top), abs(line - bottom)) for line in lines_y]
        return min([*gaps, 99])

    above, below = point_y - 11, point_y + 22
    y = above if clearance(above) >= 4 or clearance(above) >= clearance(below) else below
    width = 8.5 * len(label) + 6
    return {
        "x": x,
        "y": round(y, 1),
        "box_x": round(x - width / 2, 1),
        "box_y": round(y - _TEXT_UP - 2, 1),
        "box_width": round(width, 1),
        "box_height": _TEXT_UP + _TEXT_DOWN + 4,
    }


def measure_chart(measure: dict[str, Any]) -> dict[str, Any] | None:
    """Geometry for a small line chart of one measure: axes, ticks, points, baseline and target lines.

    Drawn as inline SVG by the template. The series has square markers and a
    value label at every point; the target line is dashed and the baseline
    dotted, each labelled in words, so the chart reads without colour.
    """
    values = measure["values"]
    if not values:
        return None
    unit = measure["unit"]
    highest = max([v["value"] for v in values] + [x for x in (measure["target"], measure["baseline"]) if x is not None])
    top = 100.0 if unit == ImpactMeasure.Unit.PERCENT else _nice_ceiling(highest * 1.1)
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    bottom_y = _TOP + plot_height

    def y(value: float) -> float:
        return round(bottom_y - plot_height * min(value, top) / top, 1)

    step = plot_width / len(values)
    lines_y = [y(v) for v in (measure["target"], measure["baseline"]) if v is not None]
    points = []
    for i, value in enumerate(values):
        x = round(_LEFT + step * (i + 0.5), 1)
        point_y = y(value["value"])
        points.append(
            {
                "x": x,
                "y": point_y,
                "marker_x": round(x - 5, 1),
                "marker_y": round(point_y - 5, 1),
                "label_at": _label_position(x, point_y, value["display"], lines_y, bottom_y),
                "label": value["display"],
                "period": value["period"],
            }
        )
    ticks = [{"y": y(top * i / 4), "label": _tick(top * i / 4, unit)} for i in range(5)]

    def line(value: float | None, words: str) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"y": y(value), "label": words}

    unit_words = "Per cent" if unit == ImpactMeasure.Unit.PERCENT else "Number"
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _LEFT,
        "tick_label_x": _LEFT - 6,
        "right": CHART_WIDTH - _RIGHT,
        "top": _TOP,
        "bottom": bottom_y,
        "label_x": CHART_WIDTH - _RIGHT + 6,
        "x_title_y": CHART_HEIGHT - 8,
        "x_title_x": round(_LEFT + plot_width / 2, 1),
        "y_title_x": 16,
        "y_title_y": round(_TOP + plot_height / 2, 1),
        "ticks": ticks,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "target": line(measure["target"], f"Target {measure['target_display']}"),
        "baseline": line(measure["baseline"], f"Baseline {measure['baseline_display']}"),
        "y_title": unit_words,
        "x_title": "Period",
    }
