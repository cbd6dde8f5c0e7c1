"""Entering the proactive register and the 第二十条 figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from gongkai.office.agencies.models import Agency, ChangeKind
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.errors import OfficeError

from .models import Article20Figures, DocumentFigures, DocumentKind


@dataclass(frozen=True)
class DocumentFiguresInput:
    agency: Agency
    year: int
    kind: str  # DocumentKind
    made: int = 0
    repealed: int = 0
    in_force: int = 0
    published: int | None = None


@dataclass(frozen=True)
class Article20Input:
    agency: Agency
    year: int
    licensing: int | None = None
    penalty: int | None = None
    coercion: int | None = None
    fees_wan: Decimal | None = None


def _not_negative(**values) -> None:
    for name, v in values.items():
        if v is not None and v < 0:
            raise OfficeError(f"{name}不能为负数（{v}）")


@transaction.atomic
def set_document_figures(actor, data: DocumentFiguresInput) -> DocumentFigures:
    require_role(actor, data.agency, what="填报主动公开文件统计")
    if data.kind not in DocumentKind.values:
        raise OfficeError(f"未知的文件类别“{data.kind}”，可选：{'、'.join(DocumentKind.labels)}")
    _not_negative(本年制发件数=data.made, 本年废止件数=data.repealed, 现行有效件数=data.in_force)
    obj, _ = DocumentFigures.objects.update_or_create(
        agency=data.agency,
        year=data.year,
        kind=data.kind,
        defaults={"made": data.made, "repealed": data.repealed, "in_force": data.in_force, "published": data.published},
    )
    record_change(
        actor,
        data.agency,
        ChangeKind.DOCUMENT_FIGURES,
        f"{data.year}年 {DocumentKind(data.kind).label}",
        {"made": data.made, "repealed": data.repealed, "in_force": data.in_force, "published": data.published},
    )
    return obj


@transaction.atomic
def set_article20_figures(actor, data: Article20Input) -> Article20Figures:
    require_role(actor, data.agency, what="填报第二十条数据")
    _not_negative(行政许可=data.licensing, 行政处罚=data.penalty, 行政强制=data.coercion, 收费金额=data.fees_wan)
    obj, _ = Article20Figures.objects.update_or_create(
        agency=data.agency,
        year=data.year,
        defaults={
            "licensing": data.licensing,
            "penalty": data.penalty,
            "coercion": data.coercion,
            "fees_wan": data.fees_wan,
        },
    )
    record_change(
        actor,
        data.agency,
        ChangeKind.ARTICLE20_FIGURES,
        f"{data.year}年 第二十条数据",
        {"licensing": data.licensing, "penalty": data.penalty, "coercion": data.coercion, "fees_wan": data.fees_wan},
    )
    return obj
