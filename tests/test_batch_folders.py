"""Folders a review is pointed at: symlinks out of the folder are not followed, symlink loops
are reported as loops, FIFOs and devices are never opened; outputs get normal permissions."""

import os
import shutil
import stat
from pathlib import Path

import pytest

from gongkai.batch import Limits, scan_folder
from gongkai.batch.review import review
from gongkai.parse import parse_path

from .conftest import SEEDS

SEED = SEEDS / "001_1091e914623cb50c.txt"
OUTPUTS = (".xlsx", ".csv", ".jsonl", ".parquet")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder with one report, and a secret report outside it."""
    d = tmp_path / "reviewed"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SEED, d / "report.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SEED, outside / "secret.txt")
    return d


def rows(result) -> dict[str, tuple[str, str]]:
    return {e.file: (e.status, e.error) for e in result.entries}


def test_symlinks_out_of_the_folder_are_not_followed(tree):
    (tree / "secret-link.txt").symlink_to(tree.parent / "outside" / "secret.txt")
    (tree / "outside-folder").symlink_to(tree.parent / "outside")
    (tree / "sub" / "up-and-out.txt").symlink_to("../../outside/secret.txt")  # relative, still out
    read: list[str] = []

    def parse(path):
        read.append(Path(path).name)
        return parse_path(path)

    got = rows(review(tree, jobs=0, parse=parse, progress=False))
    assert read == ["report.txt"]
    for name in ("secret-link.txt", "outside-folder", "sub/up-and-out.txt"):
        status, reason = got[name]
        assert status == "skipped" and reason.startswith("符号链接指向审阅的文件夹之外"), (name, reason)
        assert str(tree.parent / "outside") in reason
    assert got["report.txt"][0] == "warnings"


def test_symlinks_inside_the_folder_are_followed_once(tree):
    (tree / "alias.txt").symlink_to("report.txt")
    (tree / "a-link-to-sub").symlink_to("sub")  # listed before sub: still sub is the real one
    shutil.copy(SEED, tree / "sub" / "inner.txt")
    got = rows(review(tree, jobs=0, progress=False))
    assert got["alias.txt"][0] == "warnings" and got["sub/inner.txt"][0] == "warnings"
    assert got["a-link-to-sub"] == ("skipped", "与文件夹“sub”是同一个文件夹（符号链接），不重复读取")
    assert "a-link-to-sub/inner.txt" not in got


def test_symlink_loops_are_reported_as_loops(tree):
    (tree / "loop-a").symlink_to("loop-b")
    (tree / "loop-b").symlink_to("loop-a")
    (tree / "sub" / "up").symlink_to("..")
    (tree / "sub" / "self").symlink_to(".")
    got = rows(review(tree, jobs=0, progress=False))
    assert got["loop-a"] == got["loop-b"] == ("skipped", "符号链接循环（链接最终指回自身），未读取")
    assert got["sub/up"] == ("skipped", "符号链接循环：指向审阅的文件夹本身，未读取")
    assert got["sub/self"] == ("skipped", "符号链接循环：指向上层文件夹“sub”，未读取")
    assert got["report.txt"][0] == "warnings"


def test_a_dangling_symlink_is_reported(tree):
    (tree / "gone.pdf").symlink_to("nowhere.pdf")
    (tree / "gone.xyz").symlink_to("nowhere.xyz")  # not a report's name: left out, as any .xyz
    got = rows(review(tree, jobs=0, progress=False))
    assert got["gone.pdf"] == ("skipped", "符号链接指向的文件不存在，未读取")
    assert "gone.xyz" not in got


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_never_opened(tree):
    """Opening a FIFO with no writer blocks forever; the limit is only the backstop here."""
    os.mkfifo(tree / "pipe.txt")
    os.mkfifo(tree / "pipe")  # no suffix: a name a text report may have
    (tree / "link-to-pipe.txt").symlink_to("pipe.txt")
    got = rows(review(tree, jobs=2, progress=False, limits=Limits(timeout=20, max_memory=None)))
    for name in ("pipe.txt", "pipe", "link-to-pipe.txt"):
        assert got[name] == ("skipped", "不是普通文件而是命名管道（FIFO），未打开"), name
    assert got["report.txt"][0] == "warnings"


def test_devices_are_never_opened(tree):
    try:
        os.mknod(tree / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero: endless
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here")
    assert rows(review(tree, jobs=0, progress=False))["zero.txt"] == ("skipped", "不是普通文件而是字符设备，未打开")


def test_hidden_files_and_other_names_are_left_out_silently(tree):
    (tree / ".hidden").mkdir()
    (tree / ".hidden" / "x.txt").symlink_to(tree.parent / "outside" / "secret.txt")
    (tree / "notes.xyz").write_text("不是报告")
    assert scan_folder(tree).skipped == []
    assert [p.name for p in scan_folder(tree).files] == ["report.txt"]


@pytest.mark.parametrize("suffix", OUTPUTS)
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_get_the_permissions_of_a_new_file(tree, tmp_path, suffix, umask):
    out = tmp_path / f"r{suffix}"
    old = os.umask(umask)
    try:
        review(tree, out, jobs=0, progress=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # 0644 under the usual 022, not mkstemp's 0600


def test_rewriting_an_output_keeps_its_permissions(tree, tmp_path):
    out = tmp_path / "r.csv"
    review(tree, out, jobs=0, progress=False)
    out.chmod(0o640)
    review(tree, out, jobs=0, progress=False)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
