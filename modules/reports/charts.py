"""Geometry for server-drawn SVG charts; the templates turn it into markup."""


from modules.core.templating import format_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
SERIES_CLASSES = ("chart-series-1", "chart-series-2", "chart-series-3")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def line_chart(labels: list[str], series: list[tuple[str, list[float]]]) -> dict:
    """Lines for a few series over the same periods, with four horizontal grid lines."""
    top = _nice_max(max((v for _n, values in series for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def point(i: int, value: float) -> tuple[float, float]:
        return round(LEFT + i * step, 1), round(TOP + plot_h - value / top * plot_h, 1)

    lines = []
    for index, (name, values) in enumerate(series):
        points = [point(i, v) for i, v in enumerate(values)]
        lines.append({
            "name": name, "class": SERIES_CLASSES[index % len(SERIES_CLASSES)],
            "points": " ".join(f"{x},{y}" for x, y in points),
            "dots": [{"x": x, "y": y,
                      "title": f"{labels[i]}: {name} {format_number(values[i])}"}
                     for i, (x, y) in enumerate(points)],
        })
    grid = [{"y": round(TOP + plot_h - plot_h * k / 4, 1), "label": format_number(top * k / 4)}
            for k in range(5)]
    ticks = [{"x": point(i, 0)[0], "label": label} for i, label in enumerate(labels)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "base": TOP + plot_h, "lines": lines, "grid": grid, "ticks": ticks}


def bar_chart(items: list[tuple[str, float]], *, label_width: int = 200) -> dict:
    """Horizontal bars, one per item."""
    top = _nice_max(max((v for _n, v in items), default=0))
    bar_h, gap = 18, 6
    plot_w = WIDTH - label_width - RIGHT - 40
    bars = []
    for index, (name, value) in enumerate(items):
        y = TOP + index * (bar_h + gap)
        bars.append({"name": name, "value": value, "y": y, "text_y": y + bar_h - 4,
                     "width": round(value / top * plot_w, 1), "height": bar_h,
                     "value_x": round(label_width + value / top * plot_w + 4, 1)})
    return {"width": WIDTH, "height": TOP * 2 + len(items) * (bar_h + gap),
            "label_width": label_width, "label_x": label_width - 6, "bars": bars}
