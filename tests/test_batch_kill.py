"""A killed batch keeps its finished work: ``gongkai review`` killed with SIGKILL or SIGTERM
leaves no worker running, its journal holds what was done, and ``--resume`` finishes the batch
with the output an uninterrupted run writes."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SEEDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc"),
]

COPIES = 40  # of each of the five seeds: 200 reports, several seconds with two workers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        for k in range(COPIES):
            shutil.copy(seed, d / f"{seed.stem}-{k:02d}.txt")
    return d


def gongkai(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gongkai", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


def processes() -> dict[int, tuple[int, str]]:
    """Every process: pid → (parent pid, state)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat_line.rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), fields[0])
    return found


def descendants(pid: int) -> set[int]:
    procs = processes()
    out, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _state) in procs.items():
            if ppid == parent and child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pids: set[int]) -> set[int]:
    procs = processes()
    return {p for p in pids if p in procs and procs[p][1] != "Z"}  # a zombie is dead, only not reaped


def journaled(journal: Path) -> int:
    try:
        return max(0, len(journal.read_text(encoding="utf-8").splitlines()) - 1)  # the first line names it
    except OSError:
        return 0


def kill_midway(folder: Path, out: Path, signum: int) -> tuple[subprocess.Popen, set[int]]:
    """Start a review, wait until some entries are journaled, note its workers, send ``signum``."""
    journal = out.with_name(out.name + ".journal.jsonl")
    proc = gongkai("review", str(folder), "--out", str(out), "--jobs", "2")
    deadline = time.monotonic() + 120
    while journaled(journal) < 10:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "nothing journaled"
        time.sleep(0.05)
    workers = descendants(proc.pid)
    assert len(workers) >= 2
    os.kill(proc.pid, signum)
    proc.wait(30)
    return proc, workers


def wait_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def test_sigkill_leaves_no_worker_and_resume_finishes_the_batch(folder, tmp_path):
    out = tmp_path / "r.jsonl"
    proc, workers = kill_midway(folder, out, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert wait_gone(workers) == set(), "workers outlived the killed batch"
    journal = tmp_path / "r.jsonl.journal.jsonl"
    done = journaled(journal)
    assert 10 <= done < 5 * COPIES and not out.exists()
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"journal": "gongkai review", "version": 1}
    for line in lines[1:-1]:  # strict JSON, each a whole entry (the last may be cut off by the kill)
        assert json.loads(line, parse_constant=lambda c: pytest.fail(c))["file"]

    resumed = gongkai("review", str(folder), "--out", str(out), "--jobs", "2", "--resume")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    skipped = int(stdout.split("跳过已处理的 ")[1].split(" 份")[0])
    assert skipped >= done - 1  # the journal's entries were not parsed again (a last line may be torn)
    assert not journal.exists()

    whole = tmp_path / "whole.jsonl"
    uninterrupted = gongkai("review", str(folder), "--out", str(whole), "--jobs", "2")
    assert uninterrupted.communicate(timeout=300) and uninterrupted.returncode == 0
    assert out.read_bytes() == whole.read_bytes()


def test_sigterm_ends_the_workers_and_says_how_to_resume(folder, tmp_path):
    out = tmp_path / "r.xlsx"
    proc, workers = kill_midway(folder, out, signal.SIGTERM)
    stderr = proc.stderr.read()
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "已中断" in stderr and "--resume" in stderr and "r.xlsx.journal.jsonl" in stderr
    assert wait_gone(workers, 5) == set()
    assert not out.exists() and journaled(tmp_path / "r.xlsx.journal.jsonl") >= 10
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    resumed = gongkai("review", str(folder), "--out", str(out), "--jobs", "2", "--resume")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert f"{5 * COPIES} 份" in stdout and "跳过已处理的" in stdout


SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from gongkai.batch import Limits
from gongkai.batch.review import review
from tests.test_batch_limits import hostile_parse
review(Path(sys.argv[2]), jobs=2, parse=hostile_parse, progress=False, limits=Limits(timeout=3600, max_memory=None))
"""


def test_a_worker_stuck_in_a_file_dies_with_its_batch(tmp_path):
    """The workers are busy with files that would take an hour: they die with the batch, not
    when their file is done (the parent's death signal; elsewhere a thread watching it)."""
    d = tmp_path / "stuck"
    d.mkdir()
    for n in (1, 2):
        shutil.copy(SEEDS / "000_5ac34f26426a2d27.txt", d / f"sleep-{n}.txt")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(root), str(d)], start_new_session=True)
    deadline = time.monotonic() + 60
    while len(workers := descendants(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(3)  # well into their hour
    assert proc.poll() is None and alive(workers) == workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert wait_gone(workers, 10) == set()
