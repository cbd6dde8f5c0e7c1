"""Reply letters: every outcome of both formats renders, cites its article and states the remedies."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from gongkai import letters
from gongkai.formats import GB2019, GB2021
from gongkai.letters import LetterContext, LetterError

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


@pytest.fixture(autouse=True)
def _no_custom_templates(tmp_path, monkeypatch):
    """Packaged templates only, whatever the machine's data dir holds."""
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "empty"))


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


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
    ctx = CTX if row.basis else LetterContext(**{**CTX.__dict__, "basis": "第三十九条第一款"})
    text = _text(letters.render_letter(key, fmt_id, ctx))
    assert "张三" in text
    assert "2024-0158" in text
    assert "2024年9月2日" in text
    assert "2024年9月27日" in text
    assert "某地块建设用地规划许可证" in text
    label = letters._plain(row.label)
    assert label and label in row.label  # taken from the official label
    assert label in text
    assert f"《中华人民共和国政府信息公开条例》{ctx.basis or row.basis}" in text
    # 救济途径
    assert "60日内向某某市人民政府申请行政复议" in text
    assert "6个月内向某某区人民法院提起行政诉讼" in text


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


def test_denied_cites_the_reply_form_too():
    text = _text(letters.render_letter("denied.third_party", "gb2021", CTX))
    assert "第十五条、第三十六条第（三）项" in text
    assert "理由是：保护第三方合法权益" in text


def test_default_remedy_bodies():
    ctx = LetterContext(**{**CTX.__dict__, "review_body": "", "court": ""})
    text = _text(letters.render_letter("granted", "gb2021", ctx))
    assert "60日内向有管辖权的行政复议机关申请行政复议" in text
    assert "6个月内向有管辖权的人民法院提起行政诉讼" in text


def test_outcome_without_article_needs_a_basis():
    with pytest.raises(LetterError, match="没有对应条款"):
        letters.render_letter("refused.confirmation", "gb2021", CTX)


def test_details_are_escaped_and_optional():
    ctx = LetterContext(**{**CTX.__dict__, "details": "附件：A & B <清单>", "contact": ""})
    text = _text(letters.render_letter("partial", "gb2021", ctx))
    assert "附件：A & B <清单>" in text
    assert "联系方式" not in text
    assert "{%" not in _text(letters.render_letter("granted", "gb2021", CTX))


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
        letters.render_letter("granted", "gb2021", LetterContext(**{**CTX.__dict__, "applicant": " "}))
    with pytest.raises(LetterError, match="早于"):
        letters.render_letter("granted", "gb2021", LetterContext(**{**CTX.__dict__, "reply_date": date(2024, 9, 1)}))


def test_correction_notice():
    ctx = LetterContext(**{**CTX.__dict__, "details": "请写明所需文件的名称或文号"})
    text = _text(letters.render_notice("correction", ctx, days=10, until=date(2024, 9, 20)))
    assert "补正告知书" in text
    assert "第三十条" in text
    assert "请写明所需文件的名称或文号" in text
    assert "10个工作日内（即2024年9月20日前）" in text
    with pytest.raises(LetterError, match="需要补正的事项"):
        letters.render_notice("correction", CTX, days=10)


def test_extension_notice():
    ctx = LetterContext(**{**CTX.__dict__, "details": "需征求第三方意见"})
    text = _text(letters.render_notice("extension", ctx, days=20, until=date(2024, 10, 30)))
    assert "延期答复告知书" in text
    assert "第三十三条第一款" in text
    assert "延长20个工作日，至2024年10月30日" in text
    with pytest.raises(LetterError, match="不得超过20个工作日"):
        letters.render_notice("extension", ctx, days=21)
    with pytest.raises(LetterError, match="未知的告知书类型"):
        letters.render_notice("withdrawal", ctx, days=1)


def test_custom_template_overrides_packaged(tmp_path, monkeypatch):
    from docx import Document as NewDocument

    custom = NewDocument()
    custom.add_paragraph("本局自定义模板：{{ applicant }}，{{ outcome_label }}，{{ citation }}")
    (tmp_path / "letters").mkdir()
    custom.save(tmp_path / "letters" / "denied.docx")
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))

    assert letters.template_path("denied") == tmp_path / "letters" / "denied.docx"
    text = _text(letters.render_letter("denied.process_info", "gb2021", CTX))
    citation = "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"
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


def _cli():
    import typer
    from typer.testing import CliRunner

    from gongkai.cli_letters import register

    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_cli_letter(tmp_path):
    app, runner = _cli()
    out = tmp_path / "reply.docx"
    args = ["letter", "denied.third_party", "-o", str(out), "--agency", "某某市自然资源和规划局"]
    args += ["--applicant", "张三", "--number", "2024-0158", "--received", "2024-09-02"]
    args += ["--content", "某地块规划许可", "--date", "2024-09-27", "--format", "gb2019"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = _text(out.read_bytes())
    assert "理由是：保护第三方合法权益" in text and "2024年9月27日" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["denied.nonsense"], "没有办理结果"),
        (["granted", "--received", "2024-13-01"], "不是有效日期"),
        (["extension"], "告知书需要 --days"),
    ],
)
def test_cli_letter_errors(tmp_path, extra, message):
    app, runner = _cli()
    args = ["letter", extra[0], "-o", str(tmp_path / "x.docx"), "--agency", "某局", "--applicant", "张三"]
    args += ["--number", "1", "--received", "2024-09-02", "--content", "某信息", *extra[1:]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.docx").exists()
