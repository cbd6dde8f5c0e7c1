"""``gongkai letter`` in-process: exit codes, Chinese messages, warnings, and the DOCX it writes."""

from io import BytesIO

import pytest
import typer
from docx import Document
from typer.testing import CliRunner

from gongkai.cli_letters import register

BASE = ["--agency", "某某县自然资源局", "--applicant", "张三", "--number", "ZR-2025-031"]
BASE += ["--received", "2025-03-03", "--content", "某地块土地出让合同"]


@pytest.fixture(autouse=True)
def _no_custom_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "empty"))


def _run(tmp_path, kind: str, *extra: str):
    app = typer.Typer()
    register(app)
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(app, ["letter", kind, "-o", str(out), *BASE, *extra])
    text = "\n".join(p.text for p in Document(BytesIO(out.read_bytes())).paragraphs) if out.exists() else None
    return result, text


def test_denied_letter_says_review_first_and_names_the_body(tmp_path):
    result, text = _run(tmp_path, "denied.third_party", "--date", "2025-03-10", "--review-body", "某某县人民政府")
    assert result.exit_code == 0, result.output
    assert "理由是：保护第三方合法权益" in text
    assert "应当先自收到本答复之日起60日内向某某县人民政府申请行政复议；对行政复议决定不服的" in text
    assert "6个月" not in text


def test_denied_letter_without_review_body_keeps_review_first(tmp_path):
    result, text = _run(tmp_path, "denied.state_secret", "--date", "2025-03-10", "--format", "gb2019")
    assert result.exit_code == 0, result.output
    assert "应当先自收到本答复之日起60日内向有管辖权的行政复议机关申请行政复议" in text


def test_granted_without_the_way_of_providing_exits_2(tmp_path):
    result, text = _run(tmp_path, "granted", "--date", "2025-03-10")
    assert result.exit_code == 2
    assert "“予以公开”的答复书缺少：提供政府信息的方式、获取政府信息的途径（地点）、提供政府信息的时间" in result.output
    assert "--provide-by、--provide-at、--provide-date" in result.output
    assert text is None


def test_granted_with_the_way_of_providing(tmp_path):
    args = ["--date", "2025-03-10", "--provide-by", "电子邮件", "--provide-at", "zhangsan@example.com"]
    result, text = _run(tmp_path, "granted", *args, "--provide-date", "2025-03-11")
    assert result.exit_code == 0, result.output
    assert "提供方式：电子邮件；获取途径（地点）：zhangsan@example.com；提供时间：2025年3月11日。" in text
    result, text = _run(
        tmp_path, "granted", *args[:-4], "--published", "--provide-by", "网站", "--provide-at", "门户网站"
    )
    assert result.exit_code == 0, result.output
    assert "第三十六条第（一）项" in text


def test_not_held_elsewhere_without_the_responsible_agency_exits_2(tmp_path):
    result, _ = _run(tmp_path, "unable.not_held", "--date", "2025-03-10", "--not-held-reason", "elsewhere")
    assert result.exit_code == 2
    assert "负责公开该政府信息的行政机关名称" in result.output and "--responsible-agency" in result.output
    result, text = _run(
        tmp_path,
        "unable.not_held",
        "--date",
        "2025-03-10",
        "--not-held-reason",
        "elsewhere",
        "--responsible-agency",
        "某某县住房和城乡建设局",
        "--responsible-contact",
        "0571-87654321",
    )
    assert result.exit_code == 0, result.output
    assert "第三十六条第（五）项" in text and "某某县住房和城乡建设局，联系方式：0571-87654321" in text


def test_not_held_needs_a_reason(tmp_path):
    result, _ = _run(tmp_path, "unable.not_held", "--date", "2025-03-10")
    assert result.exit_code == 2 and "--not-held-reason" in result.output


def test_confirmation_with_a_usual_basis(tmp_path):
    result, _ = _run(tmp_path, "refused.confirmation", "--date", "2025-03-10")
    assert result.exit_code == 2 and "第二条、第三十八条" in result.output and "--basis" in result.output
    result, text = _run(tmp_path, "refused.confirmation", "--date", "2025-03-10", "--basis", "confirmation")
    assert result.exit_code == 0, result.output
    assert "《中华人民共和国政府信息公开条例》第二条、第三十八条" in text


def test_correction_on_the_8th_working_day_is_flagged(tmp_path):
    result, text = _run(tmp_path, "correction", "--date", "2025-03-13", "--days", "10", "--details", "请写明文号")
    assert result.exit_code == 0, result.output
    assert "警告：补正告知书日期2025年3月13日晚于收到申请后第7个工作日（2025年3月12日）" in result.output
    assert "补正告知书" in text  # produced, and flagged
    result, _ = _run(tmp_path, "correction", "--date", "2025-03-12", "--days", "10", "--details", "请写明文号")
    assert result.exit_code == 0 and "警告" not in result.output


def test_extension_after_the_deadline_is_flagged(tmp_path):
    args = ["--days", "20", "--details", "需征求第三方意见"]
    result, _ = _run(tmp_path, "extension", "--date", "2025-04-01", *args)
    assert "警告：延期答复告知书日期2025年4月1日晚于答复期限（2025年3月31日）" in result.output
    result, _ = _run(tmp_path, "extension", "--date", "2025-04-01", "--due", "2025-04-10", *args)
    assert "警告" not in result.output


def test_fee_notice(tmp_path):
    args = ["--date", "2025-03-12", "--count", "15", "--pay-how", "非税收入缴款码", "--served", "2025-03-12"]
    result, text = _run(tmp_path, "fee", *args)
    assert result.exit_code == 0, result.output
    assert "国办函〔2020〕109号" in text and "三、收费数额：500元。" in text
    assert "请于收到本通知次日起20个工作日内缴纳上述费用（即2025年4月10日前）" in text
    result, _ = _run(tmp_path, "fee", "--date", "2025-03-12", "--count", "15")
    assert result.exit_code == 2 and "缴纳方式" in result.output and "--pay-how" in result.output


def test_consultation_notice(tmp_path):
    args = ["--date", "2025-03-12", "--third-party", "某某置业有限公司", "--details", "该公司的商业秘密"]
    result, text = _run(tmp_path, "consultation", *args)
    assert result.exit_code == 0, result.output
    assert "某某置业有限公司：" in text and "15个工作日内" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["denied.nonsense"], "没有办理结果"),
        (["granted", "--received", "2024-13-01"], "不是有效日期"),
        (["extension"], "告知书需要 --days"),
        (["partial", "--withheld", "inquiry"], "未知的不予公开理由"),
    ],
)
def test_cli_letter_errors(tmp_path, extra, message):
    result, text = _run(tmp_path, extra[0], *extra[1:])
    assert result.exit_code == 2
    assert message in result.output
    assert text is None
