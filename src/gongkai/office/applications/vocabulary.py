"""The words of table 三, taken from ``gongkai.formats`` (never retyped here).

- applicant types = the table's columns (自然人, 法人或其他组织 · 商业企业 …) except 总计;
- outcomes = the table's result rows (予以公开 … 其他处理), which differ by format: gb2021 splits
  其他处理 in three (``other.no_correction`` / ``other.unpaid_fee`` / ``other.other``), gb2019 has one
  ``other`` row. An outcome is valid for the format of its reply year (``formats.for_year``).
- channels = ``gongkai.deadlines.Channel`` plus 其他;
- the bases offered for outcomes the 条例 has no article for come from ``gongkai.law.USUAL_BASES``.
"""

from __future__ import annotations

import re
from functools import cache

from django.db import models

from gongkai.deadlines import CHANNEL_LABELS
from gongkai.deadlines import Channel as DeadlineChannel
from gongkai.formats import GB2019, GB2021, Format, Row, for_year, normalise_label
from gongkai.law import USUAL_BASES
from gongkai.office.errors import OfficeError

# Rows of table 三 that are not outcomes: counts of applications, totals.
NOT_OUTCOMES = frozenset({"new", "carried_in", "total", "carried_out"})


def _t3(fmt: Format):
    return fmt.table("t3").blocks[0]


def applicant_columns():
    """Table 三's applicant columns, without 总计."""
    return tuple(c for c in _t3(GB2021).columns if c.key != "total")


def applicant_label(col) -> str:
    return f"{col.group}·{col.label}" if col.group else col.label


ApplicantType = models.TextChoices(
    "ApplicantType", [(c.key.upper(), (c.key, applicant_label(c))) for c in applicant_columns()]
)


def outcome_rows(fmt: Format) -> tuple[Row, ...]:
    """The result rows of ``fmt``'s table 三 (the ones an application can end in)."""
    return tuple(r for r in _t3(fmt).rows if r.key not in NOT_OUTCOMES and not r.optional)


def outcome_label(row: Row) -> str:
    """予以公开, or 不予公开 · 属于国家秘密 for a row of a group."""
    if "." in row.key:
        return f"{normalise_label(row.group)}·{normalise_label(row.label)}"
    return normalise_label(row.label)


def _all_outcomes() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for fmt in (GB2021, GB2019):
        for row in outcome_rows(fmt):
            seen.setdefault(row.key, outcome_label(row))
    return list(seen.items())


OUTCOME_CHOICES = _all_outcomes()


def _format_for_reply(year: int) -> Format:
    fmt = for_year(year)
    if fmt.id not in (GB2021.id, GB2019.id):
        raise OfficeError(f"{year}年的答复不能按表三统计：依申请公开台账只支持2019年及以后")
    return fmt


def outcomes_for_year(year: int) -> dict[str, Row]:
    return {r.key: r for r in outcome_rows(_format_for_reply(year))}


def check_outcome(outcome: str, year: int) -> None:
    """Raise ``OfficeError`` unless ``outcome`` is a table-三 row of the format for ``year``."""
    valid = outcomes_for_year(year)
    if outcome not in valid:
        fmt = _format_for_reply(year)
        raise OfficeError(
            f"办理结果“{dict(OUTCOME_CHOICES).get(outcome, outcome)}”不适用于{year}年的答复"
            f"（{fmt.name}），可选：{'、'.join(outcome_label(r) for r in valid.values())}"
        )


def needs_basis(outcome: str, year: int) -> bool:
    """An outcome the 条例 gives no article for: its letter must state an explicit basis."""
    row = outcomes_for_year(year).get(outcome)
    return row is not None and not row.basis


def basis_choices(outcome: str) -> list[tuple[str, str]]:
    """The usual bases offered for such an outcome (``gongkai.law.USUAL_BASES``), as (key, label).

    要求确认: 第二条、第三十八条; 要求重新出具: 参照第三十六条第（六）项; 其他: 申请人撤回申请. The
    clerk may still write another article; leaving it empty is refused by ``gongkai.letters``.
    """
    return [(b.key, b.label) for b in USUAL_BASES.get(outcome, ())]


def withdrawn_outcome(year: int) -> str:
    """Where a withdrawn application is counted: 其他处理 (gb2021: its item 3.其他)."""
    valid = outcomes_for_year(year)
    return "other.other" if "other.other" in valid else "other"


_SEPARATORS = re.compile(r"[\s/／\\|｜\-—–－:：·・>＞]+")


@cache
def _outcome_index(fmt_id: str) -> dict[str, str]:
    fmt = GB2021 if fmt_id == GB2021.id else GB2019
    index: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(text: str, key: str) -> None:
        n = normalise_label(text)
        if not n:
            return
        if index.get(n, key) != key:
            ambiguous.add(n)
        index[n] = key

    for row in outcome_rows(fmt):
        names = (row.label, *row.aliases)
        for name in names:
            add(name, row.key)
            if row.group and "." in row.key:
                add(normalise_label(row.group) + normalise_label(name), row.key)
            stripped = normalise_label(name)
            if stripped.startswith("属于"):
                add(stripped[2:], row.key)
    if fmt_id == GB2019.id:
        add("其他", "other")
    for n in ambiguous:
        del index[n]
    return index


def match_outcome(text: str, year: int) -> str | None:
    """The outcome row key a ledger's 办理结果 names, for a reply in ``year``; None if unknown."""
    index = _outcome_index(_format_for_reply(year).id)
    whole = normalise_label(text)
    if whole in index:
        return index[whole]
    if whole in {k for k, _ in OUTCOME_CHOICES}:
        return whole if whole in outcomes_for_year(year) else None
    parts = [normalise_label(p) for p in _SEPARATORS.split(str(text)) if normalise_label(p)]
    if len(parts) > 1:
        joined = "".join(parts)
        if joined in index:
            return index[joined]
        if parts[-1] in index:
            return index[parts[-1]]
    return None


@cache
def _applicant_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for col in applicant_columns():
        for name in (col.label, *col.aliases):
            index[normalise_label(col.group + name)] = col.key
            index[normalise_label(name)] = col.key
        index[col.key] = col.key
    # 法人或其他组织 alone, or 其他组织, means the 其他 column of that group
    for col in applicant_columns():
        if col.group and normalise_label(col.label) == "其他":
            index.setdefault(normalise_label(col.group), col.key)
            index.setdefault("其他组织", col.key)
    return index


def match_applicant_type(text: str) -> str | None:
    n = normalise_label(_SEPARATORS.sub("", str(text)))
    return _applicant_index().get(n)


class Channel(models.TextChoices):
    """How an application arrived: ``deadlines.Channel`` (第三十一条) plus 其他."""

    IN_PERSON = DeadlineChannel.IN_PERSON.value, CHANNEL_LABELS[DeadlineChannel.IN_PERSON].split("，")[0]
    POST = DeadlineChannel.POST.value, CHANNEL_LABELS[DeadlineChannel.POST].split("，")[0]
    LETTER = DeadlineChannel.LETTER.value, CHANNEL_LABELS[DeadlineChannel.LETTER].split("，")[0]
    ONLINE = DeadlineChannel.ONLINE.value, CHANNEL_LABELS[DeadlineChannel.ONLINE].split("，")[0]
    FAX = DeadlineChannel.FAX.value, CHANNEL_LABELS[DeadlineChannel.FAX].split("，")[0]
    OTHER = "other", "其他"

    @property
    def deadline_channel(self) -> str | None:
        """The value ``deadlines`` knows, or None (其他: the day of receipt is as recorded)."""
        return None if self is Channel.OTHER else self.value


def _channel_words() -> dict[str, str]:
    from gongkai.deadlines import CHANNEL_WORDS

    words = {normalise_label(c.label): c.value for c in Channel}
    words |= {normalise_label(w): c.value for w, c in CHANNEL_WORDS.items()}
    words |= {c.value: c.value for c in Channel}
    words |= {"网上": Channel.ONLINE, "在线": Channel.ONLINE, "电子邮件": Channel.ONLINE, "邮件": Channel.ONLINE}
    words |= {"信件": Channel.LETTER, "来信": Channel.LETTER, "快递": Channel.POST, "现场": Channel.IN_PERSON}
    return words


def match_channel(text: str) -> str | None:
    n = normalise_label(str(text))
    words = _channel_words()
    if n in words:
        return str(words[n])
    for word, value in words.items():  # 网络申请, 当面提交 …
        if len(word) >= 2 and n.startswith(word):
            return str(value)
    return None
