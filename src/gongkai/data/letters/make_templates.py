"""Generate the packaged reply-letter templates (``*.docx``) in this folder.

Run ``python src/gongkai/data/letters/make_templates.py`` after changing a text below and
commit the regenerated files. The templates are docxtpl (Jinja) documents: administrators may
copy one to ``$GONGKAI_DATA_DIR/letters/<name>.docx`` and edit it in Word; keep the
``{{ … }}`` placeholders and the ``{%p … %}`` lines (each on its own paragraph).

Placeholders (filled by ``gongkai.letters``): agency, applicant, number, received, content,
reply_date, outcome_label, citation, details, review_body, court, review_days, suit_months,
contact; the two notices also use days and until_text.

Layout: A4, margins after GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm),
title in 方正小标宋简体 22 pt (二号), body in 仿宋_GB2312 16 pt (三号), fixed 28 pt lines.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
LINE = Pt(28)

OPENING = "本机关于{{ received }}收到您提交的政府信息公开申请，申请获取“{{ content }}”。"
REMEDIES = (
    "如对本答复不服，可以自收到本答复书之日起{{ review_days }}日内向{{ review_body }}申请行政复议，"
    "也可以自收到本答复书之日起{{ suit_months }}个月内向{{ court }}提起行政诉讼。"
)

# name -> (title, the paragraphs between the opening and the remedies)
REPLIES = {
    "granted": (
        "政府信息公开申请答复书",
        ["经审查，根据{{ citation }}的规定，本机关对您申请获取的政府信息{{ outcome_label }}。"],
    ),
    "partial": (
        "政府信息公开申请答复书",
        [
            "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
            "根据{{ citation }}的规定，本机关决定{{ outcome_label }}：向您提供可以公开的部分，"
            "对不予公开的部分说明理由。"
        ],
    ),
    "denied": (
        "政府信息公开申请答复书",
        ["经审查，根据{{ citation }}的规定，本机关决定对您申请获取的政府信息不予公开，理由是：{{ outcome_label }}。"],
    ),
    "unable": (
        "政府信息公开申请答复书",
        ["经审查，根据{{ citation }}的规定，本机关无法向您提供所申请的政府信息，原因是：{{ outcome_label }}。"],
    ),
    "refused": (
        "政府信息公开申请告知书",
        ["经审查，根据{{ citation }}的规定，本机关对您的申请不予处理，原因是：{{ outcome_label }}。"],
    ),
    "other": (
        "政府信息公开申请告知书",
        ["经审查，根据{{ citation }}的规定，本机关对您的申请作如下处理：{{ outcome_label }}。"],
    ),
}

NOTICES = {
    "correction": (
        "政府信息公开申请补正告知书",
        [
            "本机关于{{ received }}收到您提交的政府信息公开申请，申请获取“{{ content }}”。",
            "经审查，您的申请内容不明确。根据{{ citation }}的规定，请您对以下事项作出补正：",
            "{{ details }}",
            "请于收到本告知书之日起{{ days }}个工作日内{{ until_text }}向本机关提交补正后的申请。"
            "答复期限自本机关收到补正的申请之日起计算；无正当理由逾期不补正的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。",
        ],
    ),
    "extension": (
        "政府信息公开申请延期答复告知书",
        [
            "本机关于{{ received }}收到您提交的政府信息公开申请，申请获取“{{ content }}”。",
            "因{{ details }}，本机关不能在规定期限内作出答复。根据{{ citation }}的规定，"
            "经本机关政府信息公开工作机构负责人同意，答复期限延长{{ days }}个工作日{{ until_text }}。",
        ],
    ),
}


def _fonts(run_or_style, name: str, size) -> None:
    font = run_or_style.font
    font.name = name
    font.size = size
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    lang = normal.element.get_or_add_rPr().makeelement(qn("w:lang"), {qn("w:eastAsia"): "zh-CN"})
    normal.element.get_or_add_rPr().append(lang)
    return doc


def _para(doc, text: str, *, indent: bool = True, align=None, font: str = BODY_FONT, size=BODY_SIZE):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = size * 2
    if align is not None:
        p.alignment = align
    _fonts(p.add_run(text), font, size)
    return p


def _optional(doc, name: str, text: str) -> None:
    """A paragraph that disappears when ``name`` is empty."""
    _para(doc, f"{{%p if {name} %}}", indent=False)
    _para(doc, text)
    _para(doc, "{%p endif %}", indent=False)


def build(title: str, body: list[str], *, reply: bool) -> Document:
    doc = _new_document()
    _para(doc, title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_SIZE)
    _para(doc, "申请编号：{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "", indent=False)
    _para(doc, "{{ applicant }}：", indent=False)
    if reply:
        _para(doc, OPENING)
    for text in body:
        _para(doc, text)
    if reply:
        _optional(doc, "details", "{{ details }}")
        _para(doc, REMEDIES)
    _optional(doc, "contact", "联系方式：{{ contact }}")
    _para(doc, "", indent=False)
    _para(doc, "{{ agency }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ reply_date }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def main(out: Path = HERE) -> list[Path]:
    written = []
    for group, reply in ((REPLIES, True), (NOTICES, False)):
        for name, (title, body) in group.items():
            path = out / f"{name}.docx"
            build(title, body, reply=reply).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
