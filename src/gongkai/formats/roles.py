"""Where the office's register lands in each official format, as data.

``office/annual/build.py`` reads this instead of branching on a format's id: which column of
table 二 a document count goes to, which cell a 第二十条 figure fills, which table-三 rows count
applications (rather than outcomes), where a withdrawn or abandoned application is counted,
and how table 四 counts appeals. A format with no ``RegisterMap`` (legacy) cannot be built
from the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from .official import GB2019, GB2021

__all__ = ["REGISTER_MAPS", "T4_RULE", "RegisterMap", "register_map"]

# Table 四's counting rule, for the build, the docs and the pages that show table 四.
T4_RULE = (
    "表四按立案（收到）日期和审结日期计数：本年立案的案件，本年内审结的按审结结果计入，年底尚未审结的"
    "计入“尚未审结”；以前年度立案、本年审结的案件，按审结结果计入审结当年（不因立案在上年而遗漏）。"
    "同一案件因此可能在立案当年计为“尚未审结”，在审结当年按结果再计一次。"
)


@dataclass(frozen=True)
class RegisterMap:
    """The register → cell map of one format (cell ids per ``shared/spec/report-cells.md``)."""

    format_id: str
    # table 二, 第二十条第（一）项: DocumentFigures field → column key (rows are the document kinds)
    documents: tuple[tuple[str, str], ...]
    # table 二: Article20Figures field → cell id (figures a format has no cell for are left out)
    article20: tuple[tuple[str, str], ...]
    # table 三: rows that count applications; every other non-optional row is an outcome
    received: str = "new"
    carried_in: str = "carried_in"
    carried_out: str = "carried_out"
    total: str = "total"
    # table 三 rows for applications closed without a reply
    withdrawn: str = "other.other"
    no_correction: str = "other.no_correction"  # 第三十条: 逾期不补正
    unpaid_fee: str = "other.unpaid_fee"  # 国办函〔2020〕109号: 逾期未缴费
    # table 四: appeal result → column key (an appeal kind is the row key itself)
    pending: str = "pending"

    @property
    def counts(self) -> tuple[str, ...]:
        """Table-三 rows that count applications, not outcomes (``total`` excluded)."""
        return (self.received, self.carried_in, self.carried_out)


_ARTICLE20 = (
    ("licensing", "t2.licensing.decisions"),
    ("penalty", "t2.penalty.decisions"),
    ("coercion", "t2.coercion.decisions"),
)

REGISTER_MAPS = {
    GB2021.id: RegisterMap(
        GB2021.id,
        documents=(("made", "made"), ("repealed", "repealed"), ("in_force", "in_force")),
        article20=(*_ARTICLE20, ("fees_wan", "t2.fees.amount_wan")),
    ),
    GB2019.id: RegisterMap(
        GB2019.id,
        documents=(("made", "new_made"), ("published", "new_published"), ("in_force", "total_published")),
        article20=_ARTICLE20,
        withdrawn="other",
        no_correction="other",
        unpaid_fee="other",
    ),
}


def register_map(format_id: str) -> RegisterMap | None:
    """The map of a format the register can be built into; None for one it cannot (legacy)."""
    return REGISTER_MAPS.get(format_id)
