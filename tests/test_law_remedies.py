"""``gongkai.law``: the remedies by outcome group, the 复议机关 from the hierarchy, 第三十六条's
items and the usual bases, as data quoted from the texts."""

from datetime import date

import pytest

from gongkai import law
from gongkai.letters import outcomes


@pytest.mark.parametrize(
    ("key", "remedy"),
    [
        ("granted", law.REVIEW_OR_SUIT),
        ("partial", law.PARTLY_FIRST),
        ("denied.state_secret", law.REVIEW_FIRST),
        ("denied.third_party", law.REVIEW_FIRST),
        ("denied.enforcement_file", law.REVIEW_FIRST),
        ("denied.inquiry", law.REVIEW_OR_SUIT),  # a 第三十六条（七） answer, not 不予公开
        ("unable.not_held", law.REVIEW_OR_SUIT),
        ("refused.duplicate", law.REVIEW_OR_SUIT),
        ("other.other", law.REVIEW_OR_SUIT),
    ],
)
def test_remedy_by_outcome_group(key, remedy):
    assert law.remedy_for(key, date(2025, 3, 10)) is remedy
    assert law.remedy_for(key) is remedy


def test_every_withholding_row_goes_to_review_first():
    withholding = {k for k in outcomes("gb2021") if law.is_withholding(k)}
    assert withholding == {
        "denied.state_secret",
        "denied.law_prohibited",
        "denied.three_security",
        "denied.third_party",
        "denied.internal_affairs",
        "denied.process_info",
        "denied.enforcement_file",
    }


def test_the_2023_review_law_applies_from_2024():
    assert law.REVIEW_LAW.in_force == date(2024, 1, 1)
    assert law.remedy_for("denied.third_party", date(2023, 12, 29)) is law.REVIEW_OR_SUIT
    assert law.remedy_for("denied.third_party", date(2024, 1, 1)) is law.REVIEW_FIRST


def test_remedy_texts():
    first = law.REVIEW_FIRST.render("某某县人民政府", "某某县人民法院")
    assert "应当先自收到本答复之日起60日内向某某县人民政府申请行政复议" in first
    assert "可以自收到行政复议决定书之日起15日内向某某县人民法院提起行政诉讼" in first
    assert "第二十三条第一款第（四）项和第二款" in first
    assert law.REVIEW_OR_SUIT.render() == (
        "如对本答复不服，可以自收到本答复之日起60日内向有管辖权的行政复议机关申请行政复议，"
        "也可以自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。"
    )
    assert "申请政府信息公开，行政机关不予公开" in law.article("第二十三条", law.REVIEW_LAW).text
    assert "六个月内" in law.article("第四十六条", law.LITIGATION_LAW).text


@pytest.mark.parametrize(
    ("lineage", "body"),
    [
        (["某县交通运输局", "某县人民政府"], "某县人民政府"),  # 第二十四条（一）
        (["某县交通运输局", "某县人民政府", "某市人民政府"], "某县人民政府"),
        (["某县人民政府", "某市人民政府"], "某市人民政府"),  # 第二十四条（二）
        (["某县公路管理所", "某县交通运输局", "某县人民政府"], "某县人民政府"),
        (["某县人民政府"], ""),
        (["某局"], ""),
        ([], ""),
    ],
)
def test_review_body_from_the_hierarchy(lineage, body):
    assert law.review_body_for(lineage) == body


def test_article_36_items_and_articles():
    assert list(law.ANSWERS) == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"]
    assert law.ANSWERS["（五）"].cite() == "《中华人民共和国政府信息公开条例》第三十六条第（五）项"
    assert "名称、联系方式" in law.ANSWERS["（五）"].text
    assert "7个工作日内" in law.article("第三十条").text
    assert "15个工作日内" in law.article("第三十二条").text
    assert "20个工作日" in law.article("第三十三条").text
    assert "收到收费通知次日起20个工作日内" in law.article("第六条", law.FEE_MEASURES).text
    with pytest.raises(KeyError, match="not quoted"):
        law.article("第九十九条")


def test_usual_bases():
    keys = {k: [b.key for b in v] for k, v in law.USUAL_BASES.items()}
    assert keys["refused.confirmation"] == ["confirmation", "reissue"]
    assert keys["other.other"] == keys["other"] == ["withdrawn"]
    assert law.usual_basis("refused.confirmation", "confirmation").citation == "第二条、第三十八条"
    assert law.usual_basis("refused.confirmation", "withdrawn") is None
