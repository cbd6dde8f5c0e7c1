"""Per-file limits: a file over the time or the memory limit is a row with a Chinese reason and
the batch goes on; the single-file commands get the same limits; and the inputs that ran into
them (a 40 MB text report, a PNG declaring 1×119,000,000 pixels) are refused at their root."""

import io
import re
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gongkai import cli
from gongkai.batch import MEMORY_LIMITED, Limits, limits, parse_memory, run_limited
from gongkai.batch.review import review
from gongkai.cli_review import register
from gongkai.errors import GongkaiError
from gongkai.ingest import scan, text
from gongkai.parse import parse_path

from .conftest import SEEDS

SEED = SEEDS / "001_1091e914623cb50c.txt"
needs_rlimit = pytest.mark.skipif(not MEMORY_LIMITED, reason="memory limits are enforced on Linux only")


# Stand-in readers for files that misbehave (module level: worker processes import them; the
# ``parse`` argument of ``review`` is the public hook for a reader).


def hostile_parse(path: str):
    name = Path(path).name
    if name.startswith("sleep"):
        time.sleep(3600)
    if name.startswith("regex"):  # C code holding the GIL: no Python-level alarm could stop it
        re.match(r"(a+)+$", "a" * 64 + "b")
    if "hog" in name:
        hoard = [bytearray(16 << 20) for _ in range(1000)]  # up to 16 GB, 16 MB at a time
        return hoard
    if name.startswith("pages"):  # a long scan: each page within the limit, the whole file not
        for _ in range(6):
            scan.progress()
            time.sleep(0.5)
    return parse_path(path)


def _sleep(seconds: float):
    time.sleep(seconds)


def _hog():
    return [bytearray(16 << 20) for _ in range(1000)]


def _refuse():
    raise GongkaiError("不是年度报告", path="x.txt", where="第3行")


def _bug():
    return 1 / 0


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, d / name)
    return d


@pytest.mark.slow
def test_a_file_over_the_time_limit_is_a_row_and_the_batch_goes_on(batch):
    shutil.copy(SEED, batch / "sleep.txt")
    shutil.copy(SEED, batch / "regex.txt")
    start = time.monotonic()
    result = review(batch, jobs=2, parse=hostile_parse, progress=False, limits=Limits(timeout=2, max_memory=None))
    assert time.monotonic() - start < 30
    rows = {e.file: e for e in result.entries}
    for name in ("sleep.txt", "regex.txt"):
        assert rows[name].status == "error"
        assert rows[name].error.startswith("超时：读取超过 2 秒仍未完成"), rows[name].error
    assert [rows[n].status for n in ("a.txt", "b.txt", "c.txt")] == ["warnings"] * 3


@pytest.mark.slow
@needs_rlimit
def test_a_file_over_the_memory_limit_is_a_row_and_its_worker_is_replaced(batch):
    shutil.copy(SEED, batch / "0-hog.txt")  # first, in the only worker: the files after it need a new one
    result = review(batch, jobs=1, parse=hostile_parse, progress=False, limits=Limits(60, 300 << 20))
    rows = {e.file: e for e in result.entries}
    assert rows["0-hog.txt"].status == "error"
    assert rows["0-hog.txt"].error.startswith("内存超限：读取该文件需要的内存超过每个进程 300 MB 的上限")
    assert [rows[n].status for n in ("a.txt", "b.txt", "c.txt")] == ["warnings"] * 3


@pytest.mark.slow
def test_each_scanned_page_restarts_the_clock(batch):
    shutil.copy(SEED, batch / "pages.txt")  # 3 s in all, 0.5 s a page
    result = review(batch, jobs=1, parse=hostile_parse, progress=False, limits=Limits(timeout=1.5, max_memory=None))
    assert {e.file: e.status for e in result.entries}["pages.txt"] == "warnings"


# ------------------------------------------------------------------ the single-file commands


def test_run_limited_gives_back_the_result_or_the_error():
    assert run_limited(parse_path, SEED, limits=Limits(30, 1 << 30)) == parse_path(SEED)
    with pytest.raises(GongkaiError) as e:
        run_limited(_refuse, limits=Limits(30, None))
    assert (e.value.message, e.value.path, e.value.where) == ("不是年度报告", "x.txt", "第3行")
    with pytest.raises(ZeroDivisionError) as bug:
        run_limited(_bug, limits=Limits(30, None))
    assert any("in the child process" in note for note in bug.value.__notes__)


def test_run_limited_stops_a_read_over_the_time_limit():
    start = time.monotonic()
    with pytest.raises(GongkaiError) as e:
        run_limited(_sleep, 3600, limits=Limits(1, None), source="慢.pdf")
    assert time.monotonic() - start < 10
    assert str(e.value) == "文件 慢.pdf：超时：读取超过 1 秒仍未完成（上限可用 --timeout 调整），已中止"


@needs_rlimit
def test_run_limited_stops_a_read_over_the_memory_limit():
    with pytest.raises(GongkaiError) as e:
        run_limited(_hog, limits=Limits(60, 300 << 20), source="大.png")
    assert str(e.value).startswith("文件 大.png：内存超限：")


def test_parse_command_stops_a_hanging_read(monkeypatch, tmp_path):
    """``gongkai parse`` reads in a child under review's default limits (here made short)."""
    monkeypatch.setattr(limits, "DEFAULT_LIMITS", Limits(1, None))
    monkeypatch.setattr(cli, "parse_path", lambda path: _sleep(3600))
    f = tmp_path / "挂起.txt"
    shutil.copy(SEED, f)
    r = CliRunner().invoke(cli.app, ["parse", str(f)])
    assert r.exit_code == 2, r.output
    assert "挂起.txt" in r.output and "超时：读取超过 1 秒仍未完成" in r.output


@pytest.mark.parametrize(
    ("given", "size"),
    [("2G", 2 << 30), ("2GB", 2 << 30), ("2GiB", 2 << 30), ("1.5g", 3 << 29), ("512M", 512 << 20), ("0", None)],
)
def test_memory_sizes(given, size):
    assert parse_memory(given) == size


@pytest.mark.parametrize(("given", "words"), [("lots", "应写作 2G、512M"), ("-1G", "应写作"), ("10M", "太小")])
def test_memory_sizes_refused(given, words):
    with pytest.raises(GongkaiError, match=words):
        parse_memory(given)


def test_review_command_options(tmp_path, batch):
    app = typer.Typer()
    register(app)
    app.command("other")(lambda: None)
    out = tmp_path / "r.csv"
    args = ["review", str(batch), "--out", str(out), "--jobs", "0"]
    r = CliRunner().invoke(app, [*args, "--timeout", "0", "--max-memory", "0"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, [*args, "--max-memory", "很多"])
    assert r.exit_code == 2 and "内存上限应写作 2G、512M 之类" in r.output


# ------------------------------------------------------------------ the roots


def test_a_40_mb_text_report_is_refused_at_once():
    """40 MB of table rows ran past 60 s at 1.2 GB (every row a grid row to map and check)."""
    rows = "1 2 3 4 5 6 7\n" * (40_000_000 // 14)
    start = time.monotonic()
    with pytest.raises(GongkaiError, match=r"超过 20000 行的上限"):
        run_limited(text.read_text, rows, "大.txt", limits=Limits(30, 1 << 30))
    assert time.monotonic() - start < 15


def test_lone_pipes_are_read_in_linear_time(monkeypatch):
    """A table one cell a line with pipes alone on lines: each lone pipe looked back over all
    the lines before it (250,000 lines: 9 s, twice as many: 39 s)."""
    monkeypatch.setattr(text, "MAX_LINES", 10**9)
    start = time.monotonic()
    doc = text.read_text("|\n|\n规章 |\n" * 100_000)
    assert time.monotonic() - start < 5
    assert len(doc.blocks) == 1


def _png(width: int, height: int, depth: int = 8, color: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    head = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    body = zlib.compress(b"\x00\x00" * 64)[:17]
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("depth", "color"), [(8, 0), (8, 2), (16, 0), (16, 6)])
def test_a_png_declaring_a_huge_page_is_refused_before_decoding(monkeypatch, depth, color):
    """A 69-byte PNG declaring 1×119,000,000 pixels passed the pixel cap (120 M) and took 4 GB:
    a pointer a row, then the resampling filter's weights for a 119-million-pixel side."""
    data = _png(1, 119_000_000, depth, color)
    assert len(data) < 80
    monkeypatch.setattr(scan, "_load_strictly", lambda frame: pytest.fail("decoded"))
    with pytest.raises(GongkaiError, match="图片尺寸过大"):
        list(scan._pages(data, "flood.png", 0, False))


def test_a_long_page_within_the_budget_stays_within_it():
    """A long page within the budget is read in bounded memory."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (1, 4_000_000), 255).save(buf, "PNG")
    pages = run_limited(_gray_sizes, buf.getvalue(), limits=Limits(60, 600 << 20))
    assert pages == [(3600, 1)]


def _gray_sizes(data: bytes) -> list[tuple[int, int]]:
    return [scan._to_gray(page, dpi).shape for page, dpi in scan._pages(data, "long.png", 0, False)]
