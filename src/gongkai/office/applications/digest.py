"""The daily reminder: what of a user's agencies needs a look, from the named queries of
``ApplicationQuerySet`` (the cached deadline columns) and, for the applicant's 补正 period, the
clocks (``deadlines_of``: ``correction_reply_by``).

- 已逾期: open, reply deadline passed (``overdue``);
- N个工作日内到期: open, due from today to the N-th working day (``due_within``);
- 法定期限将届满: the office's own 补正 duty (第三十条) or a consultation's due date (第三十二条、
  第三十四条) by then (``running_out``);
- 补正期限将届满: the applicant's 补正 period ends by then (or ended: 可视为放弃申请).

Read by the dashboard's banner and by ``gongkai.office.notify.send_digests`` alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.office.agencies import access
from gongkai.workdays import default_calendar

from .models import Application, State
from .writer import deadlines_of

SOON_WORKDAYS = 3


@dataclass(frozen=True)
class Item:
    pk: int
    number: str
    agency: str
    day: date | None  # the date that makes it urgent
    what: str

    def line(self) -> str:
        day = self.day.isoformat() if self.day else "—"
        return f"{self.number}（{self.agency}）：{self.what} {day}"


@dataclass
class Digest:
    today: date
    until: date
    overdue: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)
    running_out: list[Item] = field(default_factory=list)
    corrections: list[Item] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Item]]]:
        return [
            ("已逾期", self.overdue),
            (f"{SOON_WORKDAYS}个工作日内到期", self.due_soon),
            ("补正告知、征求意见期限将届满", self.running_out),
            ("申请人补正期限将届满", self.corrections),
        ]

    @property
    def total(self) -> int:
        return sum(len(items) for _, items in self.sections())

    def __bool__(self) -> bool:
        return self.total > 0

    def text(self) -> str:
        """The e-mail (or SMS) body, plain text."""
        lines = [f"截至 {self.today.isoformat()}，需要关注的政府信息公开申请（期限算至 {self.until.isoformat()}）："]
        for title, items in self.sections():
            if items:
                lines += ["", f"【{title}】{len(items)} 件"] + [f"  {item.line()}" for item in items]
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        """One line (a banner, an SMS)."""
        parts = [f"{title} {len(items)} 件" for title, items in self.sections() if items]
        return "，".join(parts) if parts else "没有需要提醒的期限"


def _items(queryset, what: str) -> list[Item]:
    rows = queryset.order_by("due_on", "id").values_list("id", "number", "agency__name", "due_on")
    return [Item(*row, what) for row in rows]


def _duty(correction: date | None, consultation: date | None, today: date) -> tuple[date, str]:
    if correction and correction >= today and (not consultation or correction <= consultation):
        return correction, "补正告知期限"
    return consultation, "征求意见期限"


def digest_for(user, today: date, *, calendar=None) -> Digest:
    """The reminder for ``user``: the open applications of the agencies they may write for."""
    until = (calendar or default_calendar()).add_workdays(today, SOON_WORKDAYS)
    mine = Application.objects.filter(agency_id__in=access.writable_agency_ids(user))
    digest = Digest(today=today, until=until)
    digest.overdue = _items(mine.overdue(today), "答复期限")
    digest.due_soon = _items(mine.due_within(today, SOON_WORKDAYS, calendar), "答复期限")
    running = mine.running_out(today, until).values_list(
        "id", "number", "agency__name", "correction_due_on", "consultation_due_on"
    )
    digest.running_out = sorted(
        (
            Item(pk, number, agency, *_duty(correction, consultation, today))
            for pk, number, agency, correction, consultation in running
        ),
        key=lambda i: (i.day, i.number),
    )
    waiting = dict(mine.open().filter(state=State.AWAITING_CORRECTION).values_list("id", "number"))
    if waiting:
        agencies = dict(mine.filter(id__in=waiting).values_list("id", "agency__name"))
        for pk, deadline in deadlines_of(waiting, today=today).items():
            end = deadline.correction_reply_by
            if end is not None and end <= until:
                what = "补正期限已届满，可视为放弃申请" if end < today else "补正期限"
                digest.corrections.append(Item(pk, waiting[pk], agencies[pk], end, what))
        digest.corrections.sort(key=lambda i: (i.day, i.number))
    return digest
