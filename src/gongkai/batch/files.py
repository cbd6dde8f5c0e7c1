"""Finding the reports in a folder, and the page images that make one report.

``scan_folder`` walks the folder without ever opening a file. What it will not read becomes a
``Skipped`` (a row of the batch with a Chinese reason), never a hang or a file from elsewhere:

- a symlink is followed only while its target stays inside the reviewed folder; one that
  leaves it is skipped (the office reviews the folder it named, not the disk);
- a symlink loop (``a -> b -> a``, or a folder linking to one above it) is reported as a loop,
  and a folder reached a second time by another link is not read twice;
- FIFOs, sockets and devices are skipped: a FIFO would block the reader forever;
- a folder that cannot be listed (permissions) is reported, not silently left out.

Hidden files and folders (a name starting with ``.``) are left out, as are files whose
suffix is not one a report comes in (``SUFFIXES``); those are not reported either.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
SUFFIXES = frozenset({".txt", ".md", ".htm", ".html", ".docx", ".doc", ".wps", ".pdf", ""} | IMAGE_SUFFIXES)

# The page number ending an image file's name (before the suffix): 1 to 3 digits after a
# hyphen, an underscore or a space (报告-1, 报告_02, 报告 3), or 第N页, in brackets or not
# (报告（第4页）, 报告(第4页), 报告第4页, 报告-第4页). Half- and full-width forms alike.
PAGE_MARK_RE = re.compile(
    r"(?:\s*[-_－＿]\s*|\s+)(?P<n>\d{1,3})$"
    r"|\s*[-_－＿]?\s*[（(]?\s*第\s*(?P<nth>\d{1,3})\s*页\s*[）)]?$"
)
STEM_TRIM = " \t\u3000-_－＿"

CARRIERS = {
    ".txt": "text",
    "": "text",
    ".md": "markdown",
    ".htm": "html",
    ".html": "html",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".pdf": "pdf",
}

_SPECIAL = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
)


def carrier_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    return CARRIERS.get(suffix, "image" if suffix in SUFFIXES else suffix.lstrip("."))


def is_report_name(name: str) -> bool:
    return not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """Something in the folder that was not read, and why (Chinese)."""

    rel: str  # relative path, with /
    reason: str


@dataclass
class Folder:
    files: list[Path] = field(default_factory=list)  # regular files to read, by relative path
    skipped: list[Skipped] = field(default_factory=list)  # by relative path


def scan_folder(root: str | Path) -> Folder:
    """The report-like files under ``root`` and what was skipped (module docstring)."""
    root = Path(root)
    top = os.path.realpath(root)
    found = Folder()
    st = os.stat(root)
    seen: dict[tuple[int, int], str] = {(st.st_dev, st.st_ino): "."}
    stack: list[tuple[Path, str, frozenset]] = [(root, "", frozenset(seen))]
    links: list[tuple[Path, str, frozenset, tuple[int, int]]] = []  # folders reached by a symlink
    while stack or links:
        if not stack:  # every real folder is known by now: a link to one of them is the duplicate
            path, rel, above, ident = links.pop(0)
            if ident in above:
                target = "审阅的文件夹本身" if seen[ident] == "." else f"上层文件夹“{seen[ident]}”"
                found.skipped.append(Skipped(rel, f"符号链接循环：指向{target}，未读取"))
            elif ident in seen:
                found.skipped.append(Skipped(rel, f"与文件夹“{seen[ident]}”是同一个文件夹（符号链接），不重复读取"))
            else:
                seen[ident] = rel
                stack.append((path, rel + "/", above | {ident}))
            continue
        folder, prefix, above = stack.pop()
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as e:
            found.skipped.append(Skipped(prefix or ".", f"无法列出该文件夹的内容（{e.strerror}），未读取"))
            continue
        for item in items:
            if item.name.startswith("."):
                continue
            rel = f"{prefix}{item.name}"
            path = Path(item.path)
            link = item.is_symlink()
            try:
                st = os.stat(path) if link else item.stat(follow_symlinks=False)
            except OSError as e:
                if e.errno == errno.ELOOP:
                    found.skipped.append(Skipped(rel, "符号链接循环（链接最终指回自身），未读取"))
                elif is_report_name(item.name):
                    why = "指向的文件不存在" if e.errno == errno.ENOENT else f"无法读取（{e.strerror}）"
                    found.skipped.append(Skipped(rel, f"符号链接{why}，未读取" if link else f"{why}，未读取"))
                continue
            if link and (stat.S_ISDIR(st.st_mode) or is_report_name(item.name)):
                real = os.path.realpath(path)
                if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
                    found.skipped.append(Skipped(rel, f"符号链接指向审阅的文件夹之外（{real}），未读取"))
                    continue
            if stat.S_ISDIR(st.st_mode):
                ident = (st.st_dev, st.st_ino)
                if link:
                    links.append((path, rel, above, ident))
                elif ident in seen:  # a folder mounted inside itself
                    found.skipped.append(Skipped(rel, f"文件夹循环：与“{seen[ident]}”是同一个文件夹，未读取"))
                else:
                    seen[ident] = rel
                    stack.append((path, rel + "/", above | {ident}))
                continue
            if not is_report_name(item.name):
                continue
            if stat.S_ISREG(st.st_mode):
                found.files.append(path)
                continue
            kind = next((word for test, word in _SPECIAL if test(st.st_mode)), "特殊文件")
            found.skipped.append(Skipped(rel, f"不是普通文件而是{kind}，未打开"))
    found.files.sort(key=lambda p: p.relative_to(root).as_posix())
    found.skipped.sort(key=lambda s: s.rel)
    return found


def find_reports(root: Path) -> list[Path]:
    """Report-like files under ``root`` (``scan_folder``), sorted by relative path."""
    return scan_folder(root).files


def page_groups(files: Iterable[Path]) -> list[list[Path]]:
    """The reports among ``files``: each file alone, except image files (``IMAGE_SUFFIXES``)
    in one folder whose names, without the suffix, are one stem followed by a page number
    (``PAGE_MARK_RE``): those are one report, its pages in numeric order (2 before 10).
    A group needs at least two files and a non-empty stem (trailing hyphens, underscores and
    spaces left out; the suffixes may differ); a page number found twice (报告-1.jpg and
    报告_1.png) makes no group: those files are read one by one. Ordered as ``files``, each
    group where its first page is."""
    files = list(files)
    pages: dict[tuple[Path, str], list[tuple[int, Path]]] = {}
    for p in files:
        if p.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        m = PAGE_MARK_RE.search(p.stem)
        stem = p.stem[: m.start()].rstrip(STEM_TRIM) if m else ""
        if stem:
            pages.setdefault((p.parent, stem), []).append((int(m["n"] or m["nth"]), p))
    first: dict[Path, list[Path]] = {}
    grouped: set[Path] = set()
    for members in pages.values():
        numbers = [n for n, _ in members]
        if len(members) >= 2 and len(set(numbers)) == len(numbers):
            group = [p for _, p in sorted(members, key=lambda m: m[0])]
            first[group[0]] = group
            grouped.update(group)
    return [first.get(p, [p]) for p in files if p in first or p not in grouped]


def stamp(path: str | Path) -> tuple[int, int]:
    """Size and mtime (ns) of a file; zeros when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return 0, 0
    return st.st_size, st.st_mtime_ns
