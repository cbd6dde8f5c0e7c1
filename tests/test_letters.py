"""Reply letters, read back from the DOCX: every outcome renders with its article, 第三十六条's one
item with what it requires, and the remedies of its group (复议前置 for 不予公开 since 2024)."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from gongkai import law, letters
from gongkai.formats import GB2019, GB2021
from gongkai.letters import LetterContext, LetterError

STATUTE = "《中华人民共和国政府信息公开条例》"
CTX = LetterContext(
    agency="某某市自然资源和规划局",
    applicant="张三",
    number="2024-0158",
    received=date(2024, 9, 2),
    content="某地块建设用地规划许可证",
    reply_date=date(2024, 9, 27),
    review_body="某某市人民政府",
    court="某某区人民法院",
    contact="0571-12345678",
)
# What each answer of 第三十六条 requires, given.
CONTENT = {
    "granted": {"provide_by": "电子邮件", "provide_at": "zhangsan@example.com", "provide_date": date(2024, 9, 30)},
    "partial": {"withheld": "denied.third_party"},
    "denied.inquiry": {"procedure": "《不动产登记暂行条例》的规定，到某某市不动产登记中心查询"},
    "unable.not_held": {"not_held_reason": "absent"},
}
# The articles a letter cites where it is not simply ``Row.basis``.
CITED = {
    "granted": "第三十六条第（二）项",
    "partial": "第三十七条、第十五条",
    "unable.not_held": "第三十六条第（四）项",
}


@pytest.fixture(autouse=True)
def _no_custom_templates(tmp_path, monkeypatch):
    """Packaged templates only, whatever the machine's data dir holds."""
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "empty"))


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def _ctx(key: str, row=None, **changes) -> LetterContext:
    ctx = CTX.replace(**(CONTENT.get(key, {}) | changes))
    if row is not None and not row.basis:
        ctx = ctx.replace(basis="第三十九条第一款")
    return ctx


def _cases():
    for fmt in (GB2021, GB2019):
        for key, row in letters.outcomes(fmt.id).items():
            yield pytest.param(fmt.id, key, row, id=f"{fmt.id}-{key}")


def test_outcomes_are_the_result_rows():
    assert "total" not in letters.outcomes("gb2021")
    assert "new" not in letters.outcomes("gb2019")
    assert set(letters.outcomes("gb2019")) - set(letters.outcomes("gb2021")) == set()
    assert {"other.no_correction", "other.unpaid_fee", "other.other"} <= set(letters.outcomes("gb2021"))
    assert "other.no_correction" not in letters.outcomes("gb2019")


@pytest.mark.parametrize(("fmt_id", "key", "row"), list(_cases()))
def test_every_outcome_renders(fmt_id, key, row):
    ctx = _ctx(key, row)
    text = _text(letters.render_letter(key, fmt_id, ctx))
    for part in ("张三", "2024-0158", "2024年9月2日", "2024年9月27日", "某地块建设用地规划许可证"):
        assert part in text
    label = letters.plain_label(row.label)
    assert label and label in row.label  # taken from the official label
    if key.split(".")[0] != "other":
        assert label in text
    assert f"{STATUTE}{CITED.get(key, ctx.basis or row.basis)}" in text
    # 救济途径, by outcome group
    if law.is_withholding(key) or key == "partial":
        assert "应当先自收到本答复之日起60日内向某某市人民政府申请行政复议" in text
        assert "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向某某区人民法院提起行政诉讼" in text
        assert "第二十三条" in text
    if law.is_withholding(key):
        assert "也可以" not in text
    else:
        assert "60日内向某某市人民政府申请行政复议，也可以自收到本答复之日起6个月内向某某区人民法院提起行政诉讼" in text


BASES = {
    "granted": "第三十六条第（一）项、第（二）项",
    "partial": "第三十七条",
    "denied.state_secret": "第十四条",
    "denied.law_prohibited": "第十四条",
    "denied.three_security": "第十四条",
    "denied.third_party": "第十五条",
    "denied.internal_affairs": "第十六条第一款",
    "denied.process_info": "第十六条第二款",
    "denied.enforcement_file": "第十六条第二款",
    "denied.inquiry": "第三十六条第（七）项",
    "unable.not_held": "第三十六条第（四）项、第（五）项",
    "unable.needs_creation": "第三十八条",
    "unable.still_unclear": "第三十条",
    "refused.petition": "第三十九条第一款",
    "refused.duplicate": "第三十六条第（六）项",
    "refused.publication": "第三十九条第二款",
    "refused.excessive": "第三十五条",
    "refused.confirmation": "",  # no article in the 条例: the letter asks for one
    "other.no_correction": "第三十条",
    "other.unpaid_fee": "第四十二条",
    "other.other": "",
    "other": "",
}


@pytest.mark.parametrize("fmt", [GB2021, GB2019], ids=lambda f: f.id)
def test_basis_of_every_outcome_row(fmt):
    rows = letters.outcomes(fmt.id)
    assert {k: r.basis for k, r in rows.items()} == {k: v for k, v in BASES.items() if k in rows}


# --- item 1: remedies ----------------------------------------------------------------------


def test_denied_third_party_of_a_county_department_says_review_first():
    """2025-03-10, a county department: 复议 first at 某某县人民政府, court only after the decision."""
    ctx = CTX.replace(
        agency="某某县自然资源局",
        received=date(2025, 2, 17),
        reply_date=date(2025, 3, 10),
        review_body="某某县人民政府",
        court="",
    )
    text = _text(letters.render_letter("denied.third_party", "gb2021", ctx))
    assert "第十五条、第三十六条第（三）项" in text
    assert "理由是：保护第三方合法权益" in text
    assert (
        "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项和第二款、《中华人民共和国行政诉讼法》第四十五条"
        "的规定，如对本答复不服，应当先自收到本答复之日起60日内向某某县人民政府申请行政复议；对行政复议决定不服的，"
        "可以自收到行政复议决定书之日起15日内向有管辖权的人民法院提起行政诉讼。"
    ) in text
    assert "6个月" not in text


def test_review_first_without_a_named_body_keeps_the_wording():
    ctx = CTX.replace(review_body="", court="", reply_date=date(2025, 3, 10), received=date(2025, 3, 3))
    text = _text(letters.render_letter("denied.process_info", "gb2021", ctx))
    assert "应当先自收到本答复之日起60日内向有管辖权的行政复议机关申请行政复议" in text
    assert "15日内向有管辖权的人民法院提起行政诉讼" in text


def test_partial_review_first_for_the_withheld_part_only():
    text = _text(letters.render_letter("partial", "gb2021", _ctx("partial")))
    assert "如对本答复中不予公开的部分不服，应当先自收到本答复之日起60日内向某某市人民政府申请行政复议" in text
    assert "如对本答复的其他内容不服，可以自收到本答复之日起60日内向某某市人民政府申请行政复议，也可以" in text


def test_before_2024_the_applicant_could_choose():
    ctx = CTX.replace(received=date(2023, 12, 1), reply_date=date(2023, 12, 20))
    text = _text(letters.render_letter("denied.third_party", "gb2021", ctx))
    assert "应当先" not in text
    assert "60日内向某某市人民政府申请行政复议，也可以自收到本答复之日起6个月内向某某区人民法院提起行政诉讼" in text


def test_default_remedy_bodies():
    ctx = _ctx("granted", review_body="", court="")
    text = _text(letters.render_letter("granted", "gb2021", ctx))
    assert "60日内向有管辖权的行政复议机关申请行政复议" in text
    assert "6个月内向有管辖权的人民法院提起行政诉讼" in text


# --- item 2: 第三十六条, one item per answer --------------------------------------------------


def test_granted_states_how_where_and_when():
    text = _text(letters.render_letter("granted", "gb2021", _ctx("granted")))
    assert f"根据{STATUTE}第三十六条第（二）项的规定，本机关对您申请获取的政府信息予以公开" in text
    assert "提供方式：电子邮件；获取途径（地点）：zhangsan@example.com；提供时间：2024年9月30日。" in text
    assert "第（一）项" not in text


def test_granted_already_published_is_item_one():
    ctx = CTX.replace(published=True, provide_by="登录网站查阅", provide_at="某某市人民政府门户网站“政府信息公开”栏目")
    text = _text(letters.render_letter("granted", "gb2021", ctx))
    assert f"{STATUTE}第三十六条第（一）项" in text
    assert "该政府信息本机关已主动公开。获取方式：登录网站查阅；获取途径：某某市人民政府门户网站" in text
    assert "第（二）项" not in text


def test_granted_without_the_way_of_providing_is_refused():
    with pytest.raises(LetterError, match="提供政府信息的方式、获取政府信息的途径（地点）、提供政府信息的时间") as e:
        letters.render_letter("granted", "gb2021", CTX)
    assert e.value.missing == ("provide_by", "provide_at", "provide_date")
    with pytest.raises(LetterError, match="提供政府信息的时间"):
        letters.render_letter("granted", "gb2021", _ctx("granted", provide_date=None))


def test_not_held_absent_is_item_four():
    text = _text(letters.render_letter("unable.not_held", "gb2021", _ctx("unable.not_held")))
    assert f"{STATUTE}第三十六条第（四）项" in text
    assert "经检索，本机关没有您所申请公开的信息，该政府信息不存在。" in text
    assert "第（五）项" not in text


def test_not_held_elsewhere_is_item_five_with_the_responsible_agency():
    ctx = CTX.replace(
        not_held_reason="elsewhere", responsible_agency="某某市住房和城乡建设局", responsible_contact="0571-87654321"
    )
    text = _text(letters.render_letter("unable.not_held", "gb2021", ctx))
    assert f"{STATUTE}第三十六条第（五）项" in text
    assert "负责公开该政府信息的行政机关为某某市住房和城乡建设局，联系方式：0571-87654321。" in text
    assert "第（四）项" not in text


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, ("not_held_reason",)),
        ({"not_held_reason": "elsewhere"}, ("responsible_agency", "responsible_contact")),
        ({"not_held_reason": "elsewhere", "responsible_agency": "某局"}, ("responsible_contact",)),
    ],
)
def test_not_held_needs_its_item_and_the_agency(changes, missing):
    with pytest.raises(LetterError, match="缺少") as e:
        letters.render_letter("unable.not_held", "gb2021", CTX.replace(**changes))
    assert e.value.missing == missing
    with pytest.raises(LetterError, match="未知的无法提供情形"):
        letters.render_letter("unable.not_held", "gb2021", CTX.replace(not_held_reason="both"))


def test_denied_inquiry_is_an_item_seven_answer_not_a_denial():
    text = _text(letters.render_letter("denied.inquiry", "gb2021", _ctx("denied.inquiry")))
    assert f"{STATUTE}第三十六条第（七）项" in text
    assert "第三十六条第（三）项" not in text and "不予公开" not in text
    assert "请您依照以下规定和途径办理：《不动产登记暂行条例》的规定，到某某市不动产登记中心查询。" in text
    assert "也可以自收到本答复之日起6个月内" in text  # not 复议前置
    with pytest.raises(LetterError, match="应依照办理的法律、行政法规规定及办理途径"):
        letters.render_letter("denied.inquiry", "gb2021", CTX)


@pytest.mark.parametrize(
    ("withheld", "article", "reason"),
    [
        ("third_party", "第十五条", "保护第三方合法权益"),
        ("denied.process_info", "第十六条第二款", "属于四类过程性信息"),
        ("state_secret", "第十四条", "属于国家秘密"),
    ],
)
def test_partial_gives_the_ground_of_the_withheld_part(withheld, article, reason):
    text = _text(letters.render_letter("partial", "gb2021", CTX.replace(withheld=withheld)))
    assert f"对不予公开的部分，根据{STATUTE}{article}的规定，理由是：{reason}。" in text
    assert f"{STATUTE}第三十七条、{article}" in text


def test_partial_without_a_ground_is_refused():
    with pytest.raises(LetterError, match="不予公开部分的理由"):
        letters.render_letter("partial", "gb2021", CTX)
    with pytest.raises(LetterError, match="未知的不予公开理由"):
        letters.render_letter("partial", "gb2021", CTX.replace(withheld="inquiry"))


def test_one_item_per_answer():
    with pytest.raises(LetterError, match=r"只用于办理结果“unable\.not_held”"):
        letters.render_letter("granted", "gb2021", _ctx("granted", not_held_reason="absent"))
    with pytest.raises(LetterError, match="只用于办理结果“granted”"):
        letters.render_letter("denied.third_party", "gb2021", CTX.replace(provide_by="邮寄"))


# --- item 14: explicit bases --------------------------------------------------------------


def test_outcome_without_article_needs_a_basis_and_offers_the_usual_ones():
    with pytest.raises(LetterError, match="没有对应条款") as e:
        letters.render_letter("refused.confirmation", "gb2021", CTX)
    assert "confirmation（要求确认：第二条、第三十八条）" in str(e.value)
    assert "reissue（要求重新出具：参照第三十六条第（六）项）" in str(e.value)
    assert e.value.missing == ("basis",)
    with pytest.raises(LetterError, match="withdrawn（申请人撤回申请）"):
        letters.render_letter("other.other", "gb2021", CTX)


@pytest.mark.parametrize(
    ("key", "basis", "cited", "says"),
    [
        ("refused.confirmation", "confirmation", f"{STATUTE}第二条、第三十八条", "对信息作出确认不属于"),
        ("refused.confirmation", "reissue", f"{STATUTE}第三十六条第（六）项（参照适用）", "不予重复处理"),
        ("other.other", "withdrawn", None, "经审查，您已撤回该政府信息公开申请，本机关终止处理。"),
        ("other.other", "第三十九条第一款", f"{STATUTE}第三十九条第一款", "本机关对您的申请作如下处理：其他。"),
    ],
)
def test_usual_bases(key, basis, cited, says):
    text = _text(letters.render_letter(key, "gb2021", CTX.replace(basis=basis)))
    assert says in text
    if cited:
        assert cited in text
    else:
        assert STATUTE not in text.split("如对本答复不服")[0]


def test_fixed_answers_of_other():
    text = _text(letters.render_letter("other.no_correction", "gb2021", CTX))
    assert f"经审查，根据{STATUTE}第三十条的规定，您无正当理由逾期未补正，视为放弃申请" in text


# --- templates and context ------------------------------------------------------------------


def test_doc_number_line_and_seal_position():
    ctx = _ctx("granted", doc_number="某自然资规公开〔2024〕158号")
    lines = _text(letters.render_letter("granted", "gb2021", ctx)).split("\n")
    assert lines[:3] == ["政府信息公开申请答复书", "某自然资规公开〔2024〕158号", "申请编号：2024-0158"]
    assert lines[-3:] == ["", "某某市自然资源和规划局", "2024年9月27日"]
    assert "某自然资规" not in _text(letters.render_letter("granted", "gb2021", _ctx("granted")))


def test_details_are_escaped_and_optional():
    ctx = _ctx("partial", details="附件：A & B <清单>", contact="")
    text = _text(letters.render_letter("partial", "gb2021", ctx))
    assert "附件：A & B <清单>" in text
    assert "联系方式" not in text
    assert "{%" not in _text(letters.render_letter("granted", "gb2021", _ctx("granted")))


@pytest.mark.parametrize(
    ("key", "fmt_id", "message"),
    [
        ("denied.nonsense", "gb2021", "没有办理结果"),
        ("other.no_correction", "gb2019", "没有办理结果"),
        ("total", "gb2021", "没有办理结果"),
        ("granted", "gb2099", "未知的报表格式"),
        ("granted", "legacy", "没有表三"),
    ],
)
def test_unknown_outcome_or_format(key, fmt_id, message):
    with pytest.raises(ValueError, match=message):
        letters.render_letter(key, fmt_id, CTX)


def test_invalid_context():
    with pytest.raises(LetterError, match="缺少申请人"):
        letters.render_letter("granted", "gb2021", _ctx("granted", applicant=" "))
    with pytest.raises(LetterError, match="早于"):
        letters.render_letter("granted", "gb2021", _ctx("granted", reply_date=date(2024, 9, 1)))


def test_custom_template_overrides_packaged(tmp_path, monkeypatch):
    from docx import Document as NewDocument

    custom = NewDocument()
    custom.add_paragraph("本局自定义模板：{{ applicant }}，{{ outcome_label }}，{{ citation }}")
    (tmp_path / "letters").mkdir()
    custom.save(tmp_path / "letters" / "denied.docx")
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))

    assert letters.template_path("denied") == tmp_path / "letters" / "denied.docx"
    text = _text(letters.render_letter("denied.process_info", "gb2021", CTX))
    citation = f"{STATUTE}第十六条第二款、第三十六条第（三）项"
    assert text == f"本局自定义模板：张三，属于四类过程性信息，{citation}"
    # other groups still use the packaged templates
    assert letters.template_path("granted") == letters.PACKAGED / "granted.docx"


def test_packaged_templates_are_up_to_date(tmp_path):
    """The committed templates hold the texts of make_templates.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_templates", letters.PACKAGED / "make_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path)
    assert {p.name for p in written} == {p.name for p in letters.PACKAGED.glob("*.docx")}
    for path in written:
        fresh = [p.text for p in Document(path).paragraphs]
        packaged = [p.text for p in Document(letters.PACKAGED / path.name).paragraphs]
        assert fresh == packaged, path.name


def test_cn_date():
    assert letters.cn_date(date(2024, 9, 27)) == "2024年9月27日"
    assert letters.cn_date(date(2025, 1, 1)) == "2025年1月1日"
