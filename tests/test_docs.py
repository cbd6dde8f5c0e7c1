"""Every command a user can run is documented in the README."""

from pathlib import Path

from gongkai.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands():
    for info in app.registered_commands:
        yield info.name or info.callback.__name__
    for group in app.registered_groups:
        yield group.name or group.typer_instance.info.name


def test_every_command_is_in_the_readme():
    names = sorted(set(_commands()))
    assert len(names) >= 10
    missing = [n for n in names if f"gongkai {n}" not in README]
    assert missing == []


def test_every_issue_code_is_in_the_readme():
    import re

    src = Path(__file__).resolve().parent.parent / "src" / "gongkai"
    codes = set()
    for f in src.rglob("*.py"):
        codes |= set(re.findall(r'Issue\(\s*"([a-z0-9-]+)"', f.read_text(encoding="utf-8")))
        codes |= set(re.findall(r'Sum\(\s*"([a-z0-9-]+)"', f.read_text(encoding="utf-8")))
    assert {"row-width", "t3-balance", "missing-table"} <= codes
    assert sorted(c for c in codes if f"`{c}`" not in README) == []
