"""The office commands, run in-process: exit codes and Chinese output."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai.cli_office import register
from gongkai.office.applications.ledger import COLUMNS
from gongkai.office.applications.models import Application
from gongkai.office.make_templates import build

from .ledgers import write_ledger
from .test_ledger_report import GOOD, _with, enter_t2_and_t4

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.fixture
def cli_db(agency, transactional_db):
    return agency


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_template_is_written_and_current(tmp_path):
    r = run("import", "--template", tmp_path / "t.xlsx")
    assert r.exit_code == 0, r.output
    shipped = load_workbook(tmp_path / "t.xlsx")
    fresh = load_workbook(build(tmp_path / "fresh.xlsx"))
    assert shipped.sheetnames == fresh.sheetnames == ["台账", "选项", "说明"]
    header = [c.value for c in shipped["台账"][1]]
    assert header == [names[0] for names in COLUMNS.values()]
    for name in shipped.sheetnames:
        assert [[c.value for c in r] for r in shipped[name].iter_rows()] == [
            [c.value for c in r] for r in fresh[name].iter_rows()
        ], f"模板已过期：请运行 python -m gongkai.office.make_templates（{name}）"


def test_empty_template_imports_nothing(tmp_path, cli_db):
    run("import", "--template", tmp_path / "t.xlsx")
    r = run("import", tmp_path / "t.xlsx", "--agency", cli_db.name)
    assert r.exit_code == 0, r.output
    assert "已导入 0 件申请" in r.output


def test_import_and_build(tmp_path, cli_db, django_user_model):
    r = run("import", write_ledger(tmp_path / "a.xlsx", GOOD), "--agency", cli_db.name)
    assert r.exit_code == 0, r.output
    assert f"已导入 3 件申请到“{cli_db.name}”" in r.output
    assert "列“经办人”未能识别" in r.output

    enter_t2_and_t4(django_user_model.objects.get(username="gongkai-cli"), cli_db, 2025)
    out = tmp_path / "report.json"
    r = run("report", "build", "--agency", cli_db.name, "--year", 2025, "-o", out)
    assert r.exit_code == 0, r.output
    assert "本年新收申请 3 件，办结 2 件，结转 1 件；错误 0 个" in r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "gb2021"
    assert data["cells"]["t3.granted.natural"] == 1
    assert data["cells"]["t3.carried_out.research"] == 1


def test_bad_ledger_exit_2_nothing_imported(tmp_path, cli_db):
    rows = _with(1, received_on="2025-02-30")
    rows.append({"number": "A1", "received_on": date(2025, 1, 2), "applicant_type": "自然人"})
    r = run("import", write_ledger(tmp_path / "bad.xlsx", rows), "--agency", cli_db.name)
    assert r.exit_code == 2
    assert "台账有 2 处错误，未导入任何申请" in r.output
    assert "工作表“台账”第4行“收到日期”列：“2025-02-30”不是有效日期" in r.output
    assert "工作表“台账”第6行“申请编号”列：编号 A1 重复" in r.output
    assert Application.objects.count() == 0


def test_unknown_agency(tmp_path, cli_db):
    r = run("import", write_ledger(tmp_path / "a.xlsx", GOOD), "--agency", "不存在的局")
    assert r.exit_code == 2
    assert "没有名为“不存在的局”的机关" in r.output


def test_agency_commands(cli_db):
    r = run("agency", "add", "某县教育局", "--parent", "某县人民政府")
    assert r.exit_code == 0, r.output
    assert "已添加机关“某县教育局”，上级机关“某县人民政府”" in r.output
    r = run("agency", "list")
    assert "某县教育局（上级：某县人民政府）" in r.output


def test_locked_report_refused_by_cli(tmp_path, cli_db, head, django_user_model):
    from gongkai.office.annual.models import AnnualReport

    run("import", write_ledger(tmp_path / "a.xlsx", GOOD), "--agency", cli_db.name)
    AnnualReport.objects.create(agency=cli_db, year=2025, format="gb2021", status="locked")
    r = run("report", "build", "--agency", cli_db.name, "--year", 2025)
    assert r.exit_code == 2
    assert "第1版已锁定，不能重新生成，也不能另存为新草稿；如需修改，请上级机关退回修改" in r.output
    r = run("report", "build", "--agency", cli_db.name, "--year", 2025, "--new-draft")
    assert r.exit_code == 2 and "请上级机关退回修改" in r.output
    assert AnnualReport.objects.filter(agency=cli_db, year=2025).count() == 1
