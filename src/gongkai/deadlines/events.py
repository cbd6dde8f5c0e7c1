"""The ledger's vocabulary: events, channels, consulted parties, states, and the law's numbers.

The numbers come from ``gongkai.law``; ``Law`` only bundles them so that a test or a future
amendment can pass other ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai import law as _law
from gongkai.errors import GongkaiError


@dataclass(frozen=True)
class Law:
    """The statutory numbers, in working days (工作日), read from ``gongkai.law``."""

    name: str = _law.REGULATION.title
    reply_days: int = _law.REPLY_DAYS  # 第三十三条第二款
    max_extension_days: int = _law.MAX_EXTENSION_DAYS  # 第三十三条第二款
    correction_notice_days: int = _law.CORRECTION_NOTICE_DAYS  # 第三十条
    consultation_days: int = _law.CONSULTATION_DAYS  # 第三十二条（第三方）
    agency_consultation_days: int = _law.AGENCY_CONSULTATION_DAYS  # 第三十四条（其他机关）
    fee_payment_days: int = _law.FEE_PAYMENT_DAYS  # 国办函〔2020〕109号: 收到通知次日起


LAW = Law()


class LedgerError(GongkaiError, ValueError):
    """An event ledger that is incomplete or contradicts itself."""


class EventKind(StrEnum):
    RECEIVED = "received"
    RECEIPT_CONFIRMED = "receipt_confirmed"  # 第三十一条: 信函、互联网、传真 — the day of confirmation
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    FEE_NOTIFIED = "fee_notified"
    FEE_NOTICE_RECEIVED = "fee_notice_received"  # the applicant received the fee notice
    FEE_PAID = "fee_paid"
    EXTENSION_APPROVED = "extension_approved"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"  # 视为放弃申请 (no 补正, no payment)


class Channel(StrEnum):
    """How the application arrived (第三十一条)."""

    IN_PERSON = "in_person"
    POST = "post"
    LETTER = "letter"
    ONLINE = "online"
    FAX = "fax"


CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面",
    Channel.POST: "邮寄，以签收之日为准",
    Channel.LETTER: "平常信函，以确认之日为准",
    Channel.ONLINE: "互联网，以双方确认之日为准",
    Channel.FAX: "传真，以双方确认之日为准",
}
# Channels whose day of receipt is a confirmation (第三十一条（二）平常信函、（三）): 待确认 until then.
NEEDS_CONFIRMATION = frozenset(c for c, rule in _law.RECEIPT_RULES.items() if rule.confirmation)

# Words people write for a channel (ledgers, the command line), mapped to the channel.
CHANNEL_WORDS = {
    "当面": Channel.IN_PERSON,
    "邮寄": Channel.POST,
    "挂号信": Channel.POST,
    "信函": Channel.LETTER,
    "平信": Channel.LETTER,
    "网络": Channel.ONLINE,
    "互联网": Channel.ONLINE,
    "传真": Channel.FAX,
}


class Party(StrEnum):
    """Whom a consultation asks."""

    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条


_PARTIES = {p.value for p in Party}
PARTY_LABELS = {None: "征求意见", Party.THIRD_PARTY: "征求第三方意见", Party.AGENCY: "征求其他机关意见"}
PARTY_ARTICLES = {None: "第三十二条、第三十四条", Party.THIRD_PARTY: "第三十二条", Party.AGENCY: "第三十四条"}
PARTY_NAMES = {None: "被征求方", Party.THIRD_PARTY: "第三方", Party.AGENCY: "被征求意见机关"}


class DeadlineState(StrEnum):
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # 第三十一条: submitted, receipt not yet confirmed
    RUNNING = "running"
    AWAITING_CORRECTION = "awaiting_correction"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Event:
    """One ledger entry. ``days``: extension length, or the 补正 period given to the applicant
    (working days); ``channel``: how a (supplemented) application arrived; ``party``: whom a
    consultation asks; ``pending``: a ``received`` event whose day is the day the application
    arrived, the day of receipt being a later ``receipt_confirmed`` (第三十一条)."""

    kind: EventKind
    day: date
    days: int | None = None
    channel: str | None = None
    party: str | None = None
    pending: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.kind, EventKind):
            try:
                object.__setattr__(self, "kind", EventKind(self.kind))
            except ValueError:
                known = "、".join(k.value for k in EventKind)
                raise LedgerError(f"未知的事件类型 {self.kind!r}，应为 {known} 之一") from None
        if self.party is not None and self.party not in _PARTIES:
            raise LedgerError(f"未知的征求对象 {self.party!r}，应为 third_party（第三方）或 agency（其他机关）")
        if self.pending and self.kind is not EventKind.RECEIVED:
            raise LedgerError(f"只有“收到申请”事件可以待确认，而不是 {self.kind}")


_CHANNEL_VALUES = frozenset(c.value for c in Channel)


def check_channel(ev: Event) -> None:
    if ev.channel is None or ev.channel in _CHANNEL_VALUES:
        return
    try:
        Channel(ev.channel)
    except ValueError:
        known = "、".join(c.value for c in Channel)
        raise LedgerError(f"未知的收到渠道 {ev.channel!r}，应为 {known} 之一") from None


def consultation_days(law: Law, party) -> int:
    return law.agency_consultation_days if party == Party.AGENCY else law.consultation_days


def party_label(party) -> str:
    return PARTY_LABELS.get(party, "征求意见")


def channel_words(channel: str | None) -> str:
    """互联网, 传真 … — the channel as people name it."""
    if channel is None:
        return "其他方式"
    return _law.RECEIPT_RULES[channel].label
