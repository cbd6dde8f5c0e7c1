"""The narrative sections of a report draft: every saved text kept, nothing a person wrote lost.

Each section has its own numbered versions (``SectionVersion``, append-only). A save names the
version each text started from; when another save came between and the text was changed, the
whole save is refused (``SectionConflict``) with the saved text and the person's text side by
side, so they can merge. A build refreshes only sections nobody has written; for the others the
fresh generated text is kept beside them (``AnnualReport.generated``) to adopt or ignore.
Restoring an old version, or adopting the generated text, is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from gongkai.checks import check
from gongkai.formats import SECTIONS
from gongkai.office.agencies.models import ChangeKind
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.errors import OfficeError, ReportLocked
from gongkai.report import SECTION_KEYS, Report

from .models import AnnualReport, SectionSource, SectionVersion

LABELS = dict(zip(SECTION_KEYS, SECTIONS, strict=True))
# Issues the build adds from the records (not from ``checks``): kept when the checks re-run.
BUILD_ISSUE_PREFIX = "office-"


def clean_text(text: str | None) -> str:
    """A section's text as stored: one kind of line break, no surrounding blanks."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def current_versions(report: AnnualReport) -> dict[str, SectionVersion]:
    """The newest version of each section that has one."""
    out: dict[str, SectionVersion] = {}
    for v in report.section_versions.select_related("author").order_by("section", "-version"):
        out.setdefault(v.section, v)
    return out


def version_numbers(report: AnnualReport, current: dict[str, SectionVersion] | None = None) -> dict[str, int]:
    """Each section's current version number (0: never saved), as the edit form carries them."""
    current = current_versions(report) if current is None else current
    return {k: current[k].version if k in current else 0 for k in SECTION_KEYS}


def offers(report: AnnualReport, current: dict[str, SectionVersion] | None = None) -> dict[str, str]:
    """The generated text of each section a person wrote, where it differs from theirs."""
    current = current_versions(report) if current is None else current
    out = {}
    for key in SECTION_KEYS:
        fresh = report.generated.get(key, "")
        v = current.get(key)
        if fresh and v is not None and v.written and v.text != fresh:
            out[key] = fresh
    return out


def history(report: AnnualReport, section: str) -> list[SectionVersion]:
    """Every saved version of one section, newest first."""
    return list(report.section_versions.filter(section=section).select_related("author").order_by("-version"))


def _append(report, key: str, text: str, source: str, actor, note: str, number: int) -> SectionVersion:
    try:
        with transaction.atomic():
            return SectionVersion.objects.create(
                report=report, section=key, version=number, text=text, source=source, author=_user(actor), note=note
            )
    except IntegrityError:  # another save of the same section won the race
        raise OfficeError(f"“{LABELS[key]}”刚刚被他人保存，您的修改未保存：请重新打开页面后再保存") from None


def rechecked(report: AnnualReport) -> Report:
    """The stored report with its checks re-run on its current text (the build's own issues kept)."""
    value = report.to_report()
    value.issues = [i for i in value.issues if i.code.startswith(BUILD_ISSUE_PREFIX)]
    return check(value)


def _require_draft(report: AnnualReport) -> None:
    if not report.is_draft:
        raise ReportLocked(f"{report}不是草稿（{report.get_status_display()}），不能修改")


def _locked_draft(actor, pk: int) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=pk)
    require_role(actor, report.agency, what="修改年度报告")
    _require_draft(report)
    return report


def _store(actor, report: AnnualReport, changes: dict[str, int]) -> None:
    """Save the report's new text with its checks re-run, and note who changed which sections."""
    value = rechecked(report)
    report.issues = [i.to_dict() for i in value.issues]
    report.save()
    record_change(
        actor, report.agency, ChangeKind.REPORT_SAVED, f"{report.year}年度报告", {"report": report.pk} | changes
    )


# ------------------------------------------------------------------ saving


@dataclass(frozen=True)
class SectionsInput:
    report: AnnualReport
    sections: dict[str, str]  # the texts as edited; a section left out is not changed
    versions: dict[str, int] = field(default_factory=dict)  # the version each text started from


@dataclass(frozen=True)
class Conflict:
    """One section saved by someone else while this person edited it."""

    section: str
    mine: str
    saved: str
    version: int
    by: str
    at: datetime | None

    @property
    def label(self) -> str:
        return LABELS[self.section]


class SectionConflict(OfficeError):
    """A save refused because sections changed under it: nothing of it was saved.

    ``sections`` and ``versions`` are what the edit form should show again: the person's text of
    every section they changed, the current text of the others, and every current version.
    """

    def __init__(self, conflicts: list[Conflict], sections: dict[str, str], versions: dict[str, int]):
        names = "、".join(f"“{c.label}”" for c in conflicts)
        super().__init__(
            f"未保存：{names}在您编辑期间已被他人保存。请对照已保存的文本和您的文本，合并后再保存"
            "（本次的其他修改也尚未保存，仍保留在您的文本中）"
        )
        self.conflicts = conflicts
        self.sections = sections
        self.versions = versions


def _text_of(report: AnnualReport, key: str, number: int) -> str | None:
    v = report.section_versions.filter(section=key, version=number).only("text").first()
    return v.text if v is not None else None


@transaction.atomic
def save_sections(actor, data: SectionsInput) -> AnnualReport:
    """保存年度报告草稿的正文（每次保存都留有版本），并重新检查。

    他人在此期间已保存的部分若也被修改，整次保存不生效（``SectionConflict``），两份文本都交还给用户合并。
    """
    report = _locked_draft(actor, data.report.pk)
    current = current_versions(report)
    numbers = version_numbers(report, current)
    changes: dict[str, str] = {}
    conflicts: list[Conflict] = []
    shown: dict[str, str] = {}
    for key in SECTION_KEYS:
        v = current.get(key)
        saved = v.text if v is not None else clean_text(report.sections.get(key))
        shown[key] = saved
        if key not in data.sections:
            continue
        mine = clean_text(data.sections[key])
        if mine == saved:
            continue
        base = data.versions.get(key)
        if base == numbers[key]:
            changes[key] = shown[key] = mine
        elif base is not None and _text_of(report, key, base) == mine:
            continue  # left as it was when the form opened; someone else's newer text stays
        else:
            shown[key] = mine
            by = (v.author.get_full_name() or v.author.username) if v is not None and v.author else ""
            conflicts.append(Conflict(key, mine, saved, numbers[key], by, v.at if v is not None else None))
    if conflicts:
        raise SectionConflict(conflicts, shown, numbers)
    saved_as = {}
    for key, text in changes.items():
        saved_as[key] = _append(report, key, text, SectionSource.PERSON, actor, "", numbers[key] + 1).version
    if saved_as:
        report.sections = dict(report.sections) | changes
        _store(actor, report, {"sections": saved_as})
    else:  # nothing changed: the checks still re-run (they may be newer than the stored issues)
        issues = [i.to_dict() for i in rechecked(report).issues]
        if issues != report.issues:
            report.issues = issues
            report.save(update_fields=["issues", "updated_at"])
    return report


# ------------------------------------------------------------------ restoring and adopting


@dataclass(frozen=True)
class RestoreInput:
    report: AnnualReport
    section: str
    version: int  # the version whose text becomes current again
    current: int  # the current version the person saw: refused if another save came since


@dataclass(frozen=True)
class AdoptInput:
    report: AnnualReport
    section: str
    current: int


def _replace(actor, report: AnnualReport, key: str, current: int, text: str, source: str, note: str):
    if key not in SECTION_KEYS:
        raise OfficeError(f"没有这一部分：{key}")
    numbers = version_numbers(report)
    if current != numbers[key]:
        raise OfficeError(f"“{LABELS[key]}”已有更新的保存（第{numbers[key]}稿），请重新打开页面再操作")
    v = _append(report, key, text, source, actor, note, numbers[key] + 1)
    report.sections = dict(report.sections) | {key: text}
    _store(actor, report, {"sections": {key: v.version}, "note": note})
    return v


@transaction.atomic
def restore_section(actor, data: RestoreInput) -> SectionVersion:
    """把某一部分恢复为以前保存的某一稿（作为新的一稿保存，原有各稿都保留）。"""
    report = _locked_draft(actor, data.report.pk)
    old = report.section_versions.filter(section=data.section, version=data.version).first()
    if old is None:
        raise OfficeError(f"“{LABELS.get(data.section, data.section)}”没有第{data.version}稿")
    note = f"恢复第{old.version}稿"
    return _replace(actor, report, data.section, data.current, old.text, SectionSource.PERSON, note)


@transaction.atomic
def adopt_generated(actor, data: AdoptInput) -> SectionVersion:
    """采用最近一次生成的文本（作为新的一稿；之后重新生成时该部分随台账更新）。"""
    report = _locked_draft(actor, data.report.pk)
    fresh = report.generated.get(data.section)
    if not fresh:
        raise OfficeError("该部分没有生成的文本")
    return _replace(actor, report, data.section, data.current, fresh, SectionSource.GENERATED, "采用生成的文本")


# ------------------------------------------------------------------ what a build does to the text


def carry_over(source: AnnualReport, target: AnnualReport) -> None:
    """Start a new report version with the text of the one it replaces (who wrote it, kept)."""
    current = current_versions(source)
    texts = {}
    for key in SECTION_KEYS:
        v = current.get(key)
        text = v.text if v is not None else clean_text(source.sections.get(key))
        if not text:
            continue
        SectionVersion.objects.create(
            report=target,
            section=key,
            version=1,
            text=text,
            source=v.source if v is not None else SectionSource.PERSON,
            author=v.author if v is not None else None,
            note=f"沿用第{source.version}版",
        )
        texts[key] = text
    target.sections = texts


def merge_generated(actor, target: AnnualReport, generated: dict[str, str]) -> dict[str, str]:
    """The draft's text after a build: generated text where nobody has written, the person's elsewhere.

    Text stored before versions were kept (no history) and differing from the generated text
    counts as written. ``target.generated`` keeps the fresh text for the page to offer.
    """
    current = current_versions(target)
    fresh = {k: clean_text(generated.get(k)) for k in SECTION_KEYS}
    out = {}
    for key in SECTION_KEYS:
        v = current.get(key)
        if v is None:
            stored = clean_text(target.sections.get(key))
            if stored and stored != fresh[key]:
                _append(target, key, stored, SectionSource.PERSON, None, "此前保存的文本", 1)
                out[key] = stored
            else:
                _append(target, key, fresh[key], SectionSource.GENERATED, actor, "由台账生成", 1)
                out[key] = fresh[key]
        elif v.written:
            out[key] = v.text
        else:
            if v.text != fresh[key]:
                _append(target, key, fresh[key], SectionSource.GENERATED, actor, "重新生成", v.version + 1)
            out[key] = fresh[key]
    target.generated = fresh
    return out
