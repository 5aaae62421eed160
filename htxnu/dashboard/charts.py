"""Charts drawn on the server as SVG: no script library, nothing fetched from outside,
readable without JavaScript on a cheap phone. Colours and fonts are attributes of the
SVG itself so the "PNG" button (static/dashboard/dashboard.js) can paint it on a canvas
as it is. Every chart is shown with its table.

- bar_chart: one horizontal bar per unit, its target as a tick, coloured by status;
- trend_chart: the measure at each 6-month point, the path its target implies, the
  projection to the target's end;
- map_chart: a point at each unit's centroid (geo.AdminUnit latitude/longitude, from
  the vietnamadminunits package's data), coloured by status, sized by the figure, named
  beside it up to 40 units; no map tiles or boundaries, so it works offline.
"""

import datetime
import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from htxnu.core.templatetags.htx import number_text

from . import progress

COLOURS = {progress.ON_TRACK: "#1a7f37", progress.AT_RISK: "#d4a72c", progress.BEHIND: "#c4321c",
           progress.NO_STATUS: "#8c959f"}
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"'
INK, MUTED, LINE = "#1f2328", "#5b6470", "#d9dde3"


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" {FONT} font-size="12" class="chart-svg">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>")


# Dropped first from a label too long for its column: the kind of unit, which the chart's
# title already says ("6. Thành phố Hồ Chí Minh" is drawn "6. Hồ Chí Minh", not "6. Thành phố Hồ Chí M…").
UNIT_KINDS = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị xã ", "Thị trấn ", "Huyện ", "Quận ")


def _short(text: str, length: int = 22) -> str:
    if len(text) <= length:
        return text
    for kind in UNIT_KINDS:
        if kind in text:
            text = text.replace(kind, "", 1)
            break
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(rows: list[dict], *, label: str, percent: bool = False) -> str:
    """rows: [{"label", "value", "target", "status"}], drawn in the order given."""
    width, left, right, bar, gap, top = 440, 150, 52, 16, 6, 24
    scale_to = max([Decimal(r["value"]) for r in rows if r["value"] is not None]
                   + [Decimal(r["target"]) for r in rows if r.get("target") is not None] + [Decimal(1)])
    if percent:
        scale_to = max(scale_to, Decimal(100))
    span = width - left - right
    height = top + len(rows) * (bar + gap) + 10
    body = [f'<text x="4" y="14" fill="{MUTED}">{escape(_short(label, 70))}</text>',
            f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 6}" stroke="{LINE}"/>']
    for n, row in enumerate(rows):
        y = top + n * (bar + gap)
        body.append(f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end" fill="{INK}">'
                    f'<title>{escape(row["label"])}</title>{escape(_short(row["label"]))}</text>')
        value = row["value"]
        if value is not None:
            w = float(Decimal(value) / scale_to) * span
            colour = COLOURS.get(row.get("status") or progress.NO_STATUS)
            body.append(f'<rect x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" fill="{colour}">'
                        f'<title>{escape(row["label"])}: {escape(number_text(value, percent))}</title></rect>')
            body.append(f'<text x="{left + w + 4:.1f}" y="{y + bar - 4}" fill="{INK}">'
                        f'{escape(number_text(value, percent))}</text>')
        target = row.get("target")
        if target is not None:
            x = left + float(Decimal(target) / scale_to) * span
            body.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + bar + 2}" stroke="{INK}" '
                        f'stroke-width="2"><title>{escape(number_text(target, percent))}</title></line>')
    return _svg(width, height, body, label)


def _days(d: datetime.date) -> int:
    return d.toordinal()


def trend_chart(points: list[dict], *, knots: list, projection: tuple | None, target: tuple | None, label: str,
                percent: bool = False) -> str:
    """points: [{"date", "measure", "expected"}]; knots: the path [(date, value)];
    projection: ((date, value), (date, value)); target: (date, value)."""
    width, height, left, right, top, bottom = 440, 220, 48, 14, 14, 30
    dates = [p["date"] for p in points] + [d for d, _v in knots]
    if projection:
        dates += [projection[1][0]]
    if target:
        dates.append(target[0])
    if not dates:
        return _svg(width, 40, [f'<text x="8" y="24" fill="{MUTED}">{escape(label)}</text>'], label)
    first, last = min(dates), max(dates)
    first = datetime.date(first.year, 1, 1)
    last = datetime.date(last.year, 12, 31)
    values = [Decimal(v) for p in points for v in (p["measure"], p["expected"]) if v is not None]
    values += [Decimal(v) for _d, v in knots] + ([Decimal(projection[1][1])] if projection else [])
    values += [Decimal(target[1])] if target else []
    top_value = max(values + [Decimal(1)])
    if percent:
        top_value = max(top_value, Decimal(100))
    top_value = _nice(top_value)

    def x(d):
        return left + (_days(d) - _days(first)) / max(_days(last) - _days(first), 1) * (width - left - right)

    def y(v):
        return top + (1 - float(Decimal(v) / top_value)) * (height - top - bottom)

    body = []
    for step in range(5):
        v = top_value * step / 4
        body.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{LINE}"/>')
        body.append(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                    f'{escape(number_text(v, percent))}</text>')
    for year in range(first.year, last.year + 1):
        xx = x(datetime.date(year, 1, 1))
        body.append(f'<line x1="{xx:.1f}" y1="{height - bottom}" x2="{xx:.1f}" y2="{height - bottom + 4}" '
                    f'stroke="{MUTED}"/><text x="{x(datetime.date(year, 7, 1)):.1f}" y="{height - bottom + 16}" '
                    f'text-anchor="middle" fill="{MUTED}">{year}</text>')
    if knots:
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in knots)
        body.append(f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="2" '
                    f'stroke-dasharray="6 4"/>')
    measured = [(p["date"], p["measure"], p.get("status")) for p in points if p["measure"] is not None]
    if projection:
        (d0, v0), (d1, v1) = projection
        body.append(f'<line x1="{x(d0):.1f}" y1="{y(v0):.1f}" x2="{x(d1):.1f}" y2="{y(v1):.1f}" '
                    f'stroke="{COLOURS[progress.AT_RISK]}" stroke-width="2" stroke-dasharray="2 4"/>')
    if measured:
        line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _s in measured)
        body.append(f'<polyline points="{line}" fill="none" stroke="#b0184f" stroke-width="2.5"/>')
        for d, v, s in measured:
            body.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{COLOURS.get(s or "none")}" '
                        f'stroke="#ffffff"><title>{d:%d/%m/%Y}: {escape(number_text(v, percent))}</title></circle>')
    if target:
        tx, ty = x(target[0]), y(target[1])
        body.append(f'<path d="M{tx:.1f},{ty - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{INK}">'
                    f'<title>{escape(number_text(target[1], percent))}</title></path>')
    body.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
                f'stroke="{MUTED}"/>')
    return _svg(width, height, body, label)


def _nice(value: Decimal) -> Decimal:
    """A round number at or above value, for the top of an axis."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** int(math.floor(math.log10(float(value))))
    for step in (1, 2, 2.5, 5, 10):
        candidate = magnitude * Decimal(str(step))
        if candidate >= value:
            return candidate
    return magnitude * 10


# Units labelled on the map by name: up to this many (the 34 provinces); beyond (a
# province's ~100 communes) the names would cover each other, so they are in each
# point's tooltip and in the table under the map.
LABELLED_POINTS = 40


def _plain_name(text: str) -> str:
    """A unit's name without its kind ("Tỉnh Lào Cai" -> "Lào Cai"), as a map labels it."""
    for kind in UNIT_KINDS:
        if text.startswith(kind):
            return text[len(kind):]
    return text


def map_chart(points: list[dict], *, label: str, width: int = 360) -> str:
    """points: [{"lat", "lon", "label", "text", "status", "href", "value"}]: each unit at
    its centroid, in an equirectangular projection scaled to the units shown; the marker
    coloured by status, its area by the figure (the largest figure the largest marker),
    and, up to LABELLED_POINTS, the unit's name beside it."""
    placed = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    if not placed:
        return _svg(width, 40, [f'<text x="8" y="24" fill="{MUTED}">{escape(label)}</text>'], label)
    lats = [p["lat"] for p in placed]
    lons = [p["lon"] for p in placed]
    mid = math.radians((min(lats) + max(lats)) / 2)
    span_x = max((max(lons) - min(lons)) * math.cos(mid), 0.05)
    span_y = max(max(lats) - min(lats), 0.05)
    pad = 14
    scale = (width - 2 * pad) / span_x
    height = int(span_y * scale + 2 * pad)
    if height > 2.2 * width:  # a long, thin country: fit the height instead
        height = int(2.2 * width)
        scale = (height - 2 * pad) / span_y
    smallest, largest = (3, 9) if len(placed) <= 80 else (2, 6)
    top = max([float(p["value"]) for p in placed if p.get("value") is not None] + [0])
    labelled = len(placed) <= LABELLED_POINTS
    body, names = [], []
    for p in sorted(placed, key=lambda p: -float(p.get("value") or 0)):  # small markers drawn over large ones
        cx = pad + (p["lon"] - min(lons)) * math.cos(mid) * scale
        cy = pad + (max(lats) - p["lat"]) * scale
        value = float(p.get("value") or 0)
        radius = smallest + (largest - smallest) * math.sqrt(value / top) if top > 0 and value > 0 else smallest
        circle = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                  f'fill="{COLOURS.get(p.get("status") or "none")}" fill-opacity="0.85" stroke="{INK}" '
                  f'stroke-width="0.6"><title>{escape(p["label"])}: {escape(p["text"])}</title></circle>')
        if p.get("href"):
            circle = f'<a href="{escape(p["href"])}">{circle}</a>'
        body.append(circle)
        if labelled:
            right = cx > width * 0.7  # near the right edge: the name goes to the left of the point
            x = cx - radius - 2 if right else cx + radius + 2
            names.append(f'<text x="{x:.1f}" y="{cy + 3:.1f}" font-size="9" fill="{INK}" stroke="#ffffff" '
                         f'stroke-width="2.5" paint-order="stroke" text-anchor="{"end" if right else "start"}">'
                         f'{escape(_plain_name(p["label"]))}</text>')
    return _svg(width, height, body + names, label)
