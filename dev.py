#!/usr/bin/env python3
"""Set up and run gongkai from a fresh clone with nothing but Python ≥ 3.11.

    python3 dev.py demo     # set up, load the demo county and serve the workbench on 127.0.0.1:8000
    python3 dev.py test     # set up, then ruff and the whole test suite
    python3 dev.py test --fast  # ruff and the tests not marked slow (OCR, server, browser), SQLite only
    python3 dev.py samples  # set up, then parse, check and render the sample reports

Setup creates ``.venv`` and installs the project with its dev extras; it is redone
only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*cmd: object, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 the machine has
        sys.exit(f"需要 Python 3.11 或更高版本，当前为 {sys.version.split()[0]}")
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    stamp = VENV / ".gongkai-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        stamp.write_text(digest)


def demo() -> int:
    setup()
    return run(BIN / "gongkai", "serve", "--demo", *sys.argv[2:], check=False)


def samples() -> int:
    setup()
    gongkai = BIN / "gongkai"
    files = sorted((ROOT / "tests" / "corpus" / "seeds").glob("*.txt"))
    run(gongkai, "parse", *files)
    run(gongkai, "check", *files, check=False)
    out = ROOT / "out"
    run(gongkai, "parse", files[0], "--cells")
    for kind in ("docx", "html", "md", "xlsx", "json"):
        run(gongkai, "render", files[0], "-o", out / f"{files[0].stem}.{kind}")
    print(f"\n示例输出已写入 {out}")
    return 0


def test() -> int:
    """ruff, then every test on SQLite, then the database tests again on PostgreSQL.

    PostgreSQL runs when GONGKAI_TEST_POSTGRES names a server (CI sets it); elsewhere that
    part is skipped with a notice, never silently. With ``--fast``: ruff and the tests not
    marked slow (tests/conftest.py), on SQLite only. Other arguments go to pytest.
    """
    args = sys.argv[2:]
    fast = "--fast" in args
    args = [a for a in args if a != "--fast"]
    setup()
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    if fast:
        rc = run(PY, "-m", "pytest", "-m", "not slow", *args, check=False)
        print(
            "\n*** 快速测试：已跳过标记为 slow 的测试（OCR、服务器、浏览器等），也不在 PostgreSQL 上重跑；"
            "全部测试请运行 python3 dev.py test ***\n",
            flush=True,
        )
        return rc
    rc = run(PY, "-m", "pytest", *args, check=False)
    pg = os.environ.get("GONGKAI_TEST_POSTGRES")
    if not pg:
        print("\n*** 未设置 GONGKAI_TEST_POSTGRES：数据库测试只在 SQLite 上运行，PostgreSQL 部分跳过 ***\n", flush=True)
        return rc
    env = dict(os.environ, GONGKAI_DATABASE_URL=pg)
    print(f"+ (PostgreSQL {pg}) pytest tests/office tests/browser", flush=True)
    cmd = [str(PY), "-m", "pytest", "tests/office", "tests/browser", "-p", "no:cacheprovider"]
    rc_pg = subprocess.run(cmd, cwd=ROOT, env=env).returncode
    return rc or rc_pg


if __name__ == "__main__":
    commands = {"demo": demo, "test": test, "samples": samples}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("用法：python3 dev.py demo | test [--fast] [pytest 参数] | samples")
    try:
        sys.exit(commands[sys.argv[1]]())
    except subprocess.CalledProcessError as e:
        sys.exit(e.returncode or 1)
