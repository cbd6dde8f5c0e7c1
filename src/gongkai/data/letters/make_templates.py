"""Generate the packaged reply-letter templates (``*.docx``) in this folder.

Run ``python src/gongkai/data/letters/make_templates.py`` after changing a text below and
commit the regenerated files. The templates are docxtpl (Jinja) documents: administrators may
copy one to ``$GONGKAI_DATA_DIR/letters/<name>.docx`` and edit it in Word; keep the
``{{ … }}`` placeholders and the ``{%p … %}`` lines (each on its own paragraph).

Placeholders (filled by ``gongkai.letters`` / ``gongkai.notices``): agency, applicant, number,
doc_number (文号, optional), received, content, reply_date, contact, details, citation,
citation_clause (根据…的规定， or empty), review_body, court, review_days, suit_months, remedies (the
whole 救济途径 paragraph, from ``gongkai.law``); replies also outcome_label and answer (what
第三十六条's item requires: how/where/when provided, the responsible agency, the withheld ground,
the procedure to follow) with its parts provide_by, provide_at, provide_date, responsible_agency,
responsible_contact, procedure; notices days and until_text; the consultation notice
third_party; the fee notice fee_basis, fee_method, fee_standard_article, fee_standard, amount,
fee_steps, pay_how, window.

The 文号 line sits under the title; the seal goes over the agency name and date at the foot,
right-aligned after a blank line.

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
REMEDIES = "{{ remedies }}"
ANSWER = "{{ answer }}"  # optional paragraph: the content 第三十六条's item requires
REPLY_TITLE = "政府信息公开申请答复书"
NOTICE_TITLE = "政府信息公开申请告知书"

# name -> (title, the paragraphs between the opening and the remedies; ANSWER is optional)
REPLIES = {
    "granted": (
        REPLY_TITLE,
        ["经审查，根据{{ citation }}的规定，本机关对您申请获取的政府信息{{ outcome_label }}。", ANSWER],
    ),
    "partial": (
        REPLY_TITLE,
        [
            "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
            "根据{{ citation }}的规定，本机关决定{{ outcome_label }}：向您提供可以公开的部分，"
            "对不予公开的部分说明理由。",
            ANSWER,
        ],
    ),
    "denied": (
        REPLY_TITLE,
        ["经审查，根据{{ citation }}的规定，本机关决定对您申请获取的政府信息不予公开，理由是：{{ outcome_label }}。"],
    ),
    "inquiry": (
        NOTICE_TITLE,
        [
            "经审查，您申请获取的信息{{ outcome_label }}，有关法律、行政法规对该信息的获取有特别规定。"
            "根据{{ citation }}的规定，本机关告知您依照有关法律、行政法规的规定办理。",
            ANSWER,
        ],
    ),
    "unable": (
        REPLY_TITLE,
        ["经审查，根据{{ citation }}的规定，本机关无法向您提供所申请的政府信息，原因是：{{ outcome_label }}。", ANSWER],
    ),
    "refused": (
        NOTICE_TITLE,
        ["经审查，根据{{ citation }}的规定，本机关对您的申请不予处理，原因是：{{ outcome_label }}。", ANSWER],
    ),
    "other": (
        NOTICE_TITLE,
        ["经审查，{{ citation_clause }}{{ answer }}"],
    ),
}

NOTICES = {
    "correction": (
        "政府信息公开申请补正告知书",
        [
            OPENING,
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
            OPENING,
            "因{{ details }}，本机关不能在规定期限内作出答复。根据{{ citation }}的规定，"
            "经本机关政府信息公开工作机构负责人同意，答复期限延长{{ days }}个工作日{{ until_text }}。",
        ],
    ),
    "consultation": (
        "政府信息公开征求第三方意见书",
        [
            "本机关于{{ received }}收到政府信息公开申请，申请获取“{{ content }}”。经审查，该信息涉及"
            "{{ details }}，公开可能损害您的合法权益。根据{{ citation }}的规定，现书面征求您的意见。",
            "请您自收到本意见书之日起{{ days }}个工作日内{{ until_text }}向本机关书面提出是否同意公开的意见；"
            "不同意公开的，请说明理由。逾期未提出意见的，本机关将依照《中华人民共和国政府信息公开条例》的规定"
            "决定是否公开。",
            "您不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，"
            "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您。",
        ],
    ),
    "fee": (
        "政府信息公开信息处理费收费通知书",
        [
            OPENING,
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关决定收取信息处理费。现将有关事项通知如下：",
            "一、收费依据：{{ fee_basis }}。",
            "二、收费标准：{{ fee_method }}。{{ fee_standard_article }}规定：{{ fee_standard }}",
            "三、收费数额：{{ amount }}元。计算过程：{{ fee_steps }}。",
            "四、缴纳方式：{{ pay_how }}。",
            "五、缴纳期限：{{ window }}",
            "自本通知发出之日至您缴纳费用之日的期间，不计算在政府信息公开申请答复期限内。",
        ],
    ),
}
SALUTATIONS = {"consultation": "{{ third_party }}："}


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


def build(name: str, title: str, body: list[str], *, reply: bool) -> Document:
    doc = _new_document()
    _para(doc, title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_SIZE)
    _para(doc, "{%p if doc_number %}", indent=False)
    _para(doc, "{{ doc_number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{%p endif %}", indent=False)
    _para(doc, "申请编号：{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "", indent=False)
    _para(doc, SALUTATIONS.get(name, "{{ applicant }}："), indent=False)
    if reply:
        _para(doc, OPENING)
    for text in body:
        if text == ANSWER:
            _optional(doc, "answer", ANSWER)
        else:
            _para(doc, text)
    if reply:
        _optional(doc, "details", "{{ details }}")
        _para(doc, REMEDIES)
    _optional(doc, "contact", "联系方式：{{ contact }}")
    _para(doc, "", indent=False)  # the seal goes over the two lines below
    _para(doc, "{{ agency }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ reply_date }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def main(out: Path = HERE) -> list[Path]:
    written = []
    for group, reply in ((REPLIES, True), (NOTICES, False)):
        for name, (title, body) in group.items():
            path = out / f"{name}.docx"
            build(name, title, body, reply=reply).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
