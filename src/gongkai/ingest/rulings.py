"""A table from its ruling lines: the edges joined and snapped, their intersections, the
smallest cell at each, merged cells as the spans the missing rules leave. Fed by the rulings
a PDF draws (``pdf.py``); the one table algorithm, whatever the lines come from."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from gongkai.ingest.layout import SNAP, Cell, Part, cluster, nearest

Box = tuple[float, float, float, float]  # x0, top, x1, bottom: points from the top-left of the crop box
Run = tuple[float, float, float]  # an edge along one line: position (y across, x down), start, end
TOLERANCE = 3.0  # points: rulings snapped, joined and intersecting within this distance
MIN_RULE = 3.0  # points: a shorter ruling is no edge of a cell


def closing_edges(edges: list[Box]) -> list[Box]:
    """The rules a page break leaves out: vertical rules that end (or start) together close
    the table there, drawn or not."""
    verticals = [e for e in edges if e[2] - e[0] < e[3] - e[1]]
    out = []
    for end in (1, 3):
        group: list[Box] = []
        for e in [*sorted(verticals, key=lambda e: e[end]), None]:
            if group and (e is None or e[end] - group[0][end] > SNAP):
                if len(group) >= 2:
                    y = group[0][end]
                    out.append((min(g[0] for g in group), y, max(g[2] for g in group), y))
                group = []
            if e is not None:
                group.append(e)
    return out


Run = tuple[float, float, float]  # an edge along one line: position (y across, x down), start, end


def merge_edges(edges: list[Box]) -> tuple[list[Run], list[Run]]:
    """Rulings along (almost) one line snapped to their mean position, touching ones joined
    and short ones dropped: the horizontal and the vertical edges."""
    across = [((e[1] + e[3]) / 2, e[0], e[2]) for e in edges if e[3] - e[1] <= e[2] - e[0]]
    down = [((e[0] + e[2]) / 2, e[1], e[3]) for e in edges if e[3] - e[1] > e[2] - e[0]]
    out = []
    for runs in (across, down):
        joined: list[Run] = []
        for pos, start, end in sorted(snap(runs)):
            if joined and joined[-1][0] == pos and start <= joined[-1][2] + TOLERANCE:
                if end > joined[-1][2]:
                    joined[-1] = (pos, joined[-1][1], end)
            else:
                joined.append((pos, start, end))
        out.append([r for r in joined if r[2] - r[1] >= MIN_RULE])
    return out[0], out[1]


def snap(runs: list[Run]) -> list[Run]:
    """Positions in a chain of neighbours within TOLERANCE replaced by the chain's mean."""
    chains: list[list[float]] = []
    for v in sorted({r[0] for r in runs}):
        if not chains or v > chains[-1][-1] + TOLERANCE:
            chains.append([])
        chains[-1].append(v)
    count = Counter(r[0] for r in runs)
    mean = {v: sum(u * count[u] for u in c) / sum(count[u] for u in c) for c in chains for v in c}
    return [(mean[r[0]], r[1], r[2]) for r in runs]


def table_cells(edges: list[Box]) -> list[list[Box]]:
    """Tables from edges: the rulings' intersections; each intersection's smallest cell (its
    corners joined by rulings); cells sharing a corner are one table, of two cells at least."""
    across, down = merge_edges(edges)
    if not across or not down:
        return []
    hits_v: dict[tuple[float, float], set[Run]] = {}
    hits_h: dict[tuple[float, float], set[Run]] = {}
    tol = TOLERANCE
    for v in down:
        x, top, bottom = v
        for h in across:
            y, x0, x1 = h
            if top <= y + tol and bottom >= y - tol and x0 - tol <= x <= x1 + tol:
                hits_v.setdefault((x, y), set()).add(v)
                hits_h.setdefault((x, y), set()).add(h)
    points = sorted(hits_v)
    column: dict[float, list[float]] = {}
    row: dict[float, list[float]] = {}
    for x, y in points:
        column.setdefault(x, []).append(y)
        row.setdefault(y, []).append(x)
    cells: list[Box] = []
    for x, y in points:
        cell = smallest_cell(x, y, column, row, hits_v, hits_h)
        if cell is not None:
            cells.append(cell)
    return group_cells(cells)


def smallest_cell(x, y, column, row, hits_v, hits_h) -> Box | None:
    """The cell with top-left corner (x, y): the nearest corners below and right joined by rulings."""
    down, across = hits_v[(x, y)], hits_h[(x, y)]
    ys, xs = column[x], row[y]
    for y2 in ys[bisect_right(ys, y) :]:
        if down.isdisjoint(hits_v[(x, y2)]):
            continue
        for x2 in xs[bisect_right(xs, x) :]:
            if across.isdisjoint(hits_h[(x2, y)]):
                continue
            corner = (x2, y2)
            if corner not in hits_v or hits_v[corner].isdisjoint(hits_v[(x2, y)]):
                continue
            if not hits_h[corner].isdisjoint(hits_h[(x, y2)]):
                return (x, y, x2, y2)
    return None


def group_cells(cells: list[Box]) -> list[list[Box]]:
    """Cells sharing corners, table by table (top to bottom), single cells (frames) left out."""
    remaining = list(cells)
    tables: list[list[Box]] = []
    while remaining:
        table, corners = [], set()
        grown = True
        while grown:  # in passes over the cells left, as they come (pdfplumber's order)
            grown = False
            for cell in list(remaining):
                mine = {(cell[0], cell[1]), (cell[0], cell[3]), (cell[2], cell[1]), (cell[2], cell[3])}
                if not table or mine & corners:
                    corners |= mine
                    table.append(cell)
                    remaining.remove(cell)
                    grown = True
        tables.append(table)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def make_part(boxes: list[Box], page: int) -> tuple[Part, list[float], dict] | None:
    """A table from its cells' boxes, with the grid position each covers; None for a
    one-column box (a frame around text)."""
    xs = cluster([v for b in boxes for v in (b[0], b[2])])
    ys = cluster([v for b in boxes for v in (b[1], b[3])])
    if len(xs) < 3 or len(ys) < 2:
        return None
    cells = [Cell(b[0], b[1], b[2], b[3], page) for b in boxes]
    col = {v: nearest(xs, v) for v in {v for b in boxes for v in (b[0], b[2])}}
    row = {v: nearest(ys, v) for v in {v for b in boxes for v in (b[1], b[3])}}
    owner = {}
    for k, b in enumerate(boxes):
        for r in range(row[b[1]], row[b[3]]):
            for c in range(col[b[0]], col[b[2]]):
                owner[(r, c)] = k
    return Part(page, xs[0], ys[0], xs[-1], ys[-1], cells, xs), ys, owner
