"""Readers: bytes of a published report → Document (text blocks + grids).

One reader per carrier; ``read_path`` picks it from the file's content and name.
``read_page_images`` (paths) and ``read_image_pages`` (bytes) read several images as the pages
of one report.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import GongkaiError
from .model import Block, Document, Grid, Paragraph
from .text import read_text

__all__ = [
    "MAX_BYTES",
    "MAX_PAGE_IMAGES_BYTES",
    "Block",
    "Document",
    "Grid",
    "Paragraph",
    "decode_text",
    "read_bytes",
    "read_image_pages",
    "read_page_images",
    "read_path",
]

MAX_BYTES = 50 * 1024 * 1024  # larger files are refused, not read half-way
MAX_PAGE_IMAGES_BYTES = 4 * MAX_BYTES  # the page images of one report, together
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def decode_text(data: bytes, source: str = "") -> str:
    """Text of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise GongkaiError(f"UTF-16 编码有误（第 {e.start} 字节）", path=source) from None
    if b"\x00" in data[:8192]:
        raise GongkaiError("这是二进制文件，不是文本格式的年度报告", path=source)
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise GongkaiError("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030", path=source)


_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_BMP_HEADERS = {12, 40, 52, 56, 64, 108, 124}  # sizes of a bitmap's info header


def _sniff(data: bytes, suffix: str) -> str:
    if data.startswith(_IMAGE_MAGIC) or (
        data[:2] == b"BM" and len(data) > 18 and int.from_bytes(data[14:18], "little") in _BMP_HEADERS
    ):
        return "image"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"%pdf") or b"%pdf-" in head[:1024]:
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if suffix in _HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head:
        return "html"
    return "text"


# A binary carrier named by its suffix must have that carrier's magic bytes.
_BINARY_SUFFIXES = {
    ".pdf": ({"pdf"}, " PDF "),
    ".docx": ({"zip", "ole"}, " Word "),
    ".doc": ({"zip", "ole"}, " Word "),
    ".wps": ({"zip", "ole"}, " WPS "),
    ".png": ({"image"}, "图片"),
    ".jpg": ({"image"}, "图片"),
    ".jpeg": ({"image"}, "图片"),
}


def _kind(data: bytes, source: str, suffix: str) -> str:
    """The carrier of a file's bytes; refuses an empty or oversized file, and a binary
    suffix the content does not bear out."""
    if not data.strip():
        raise GongkaiError("文件是空的", path=source)
    if len(data) > MAX_BYTES:
        raise GongkaiError(
            f"文件过大（{len(data) / 1048576:.1f} MB），超过 {MAX_BYTES // 1048576} MB 上限", path=source
        )
    kind = _sniff(data, suffix.lower())
    expected = _BINARY_SUFFIXES.get(suffix.lower())
    if expected and kind not in expected[0]:
        raise GongkaiError(f"扩展名是 {suffix}，但内容不是{expected[1]}文件（可能已损坏或扩展名有误）", path=source)
    return kind


def read_bytes(data: bytes, source: str = "", suffix: str = "") -> Document:
    kind = _kind(data, source, suffix)
    with input_problems(source, kind):
        return _read(kind, data, source, suffix)


@contextmanager
def input_problems(source: str, kind: str) -> Iterator[None]:
    """Exceptions of a reader that can only come from the file itself, as a ``GongkaiError``
    naming the file. Readers should raise their own (naming the place); this is the net under
    them, for what they do not catch yet. Anything else is a bug of ours and goes on up."""
    try:
        yield
    except RecursionError:  # nesting deeper than the interpreter's stack (100,000 <div>s, tables in tables)
        raise GongkaiError(f"{_KIND_WORDS.get(kind, '文件')}的结构嵌套过深，无法读取", path=source) from None
    except LookupError as e:  # a declared charset naming a codec that is no text encoding (base64, rot13, zlib)
        if type(e) is not LookupError:  # KeyError, IndexError: ours
            raise
        name = m[1] if (m := re.search(r"'([^']{1,40})'", str(e))) else "？"
        raise GongkaiError(
            f"{_KIND_WORDS.get(kind, '文件')}声明的字符集“{name}”不是文字编码，无法解码", path=source
        ) from None
    except TypeError as e:  # Pillow on a damaged TIFF ("Missing dimensions" when it seeks the next page)
        if kind != "image" or not _raised_in(e, "PIL"):
            raise
        raise GongkaiError("图片文件已损坏或不完整，无法读取", path=source) from None
    except ValueError as e:
        if "integer string conversion" not in str(e):  # an int() of thousands of digits (rowspan="111…")
            raise
        raise GongkaiError(
            f"{_KIND_WORDS.get(kind, '文件')}中有位数过多的数字（数千位），不是有效的文件，无法读取", path=source
        ) from None


def _raised_in(e: BaseException, package: str) -> bool:
    """Whether ``e`` was raised inside ``package`` (a library decoding the file), not in our code."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}{package}{os.sep}" in tb.tb_frame.f_code.co_filename


def _read(kind: str, data: bytes, source: str, suffix: str) -> Document:
    if kind == "html":
        from .html import read_html

        return read_html(data, source)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source)
    if kind in ("zip", "ole"):  # DOCX; legacy DOC/WPS are converted by the same reader
        from .docx import read_docx

        return read_docx(data, source)
    if kind == "image":
        from .scan import read_image

        return read_image(data, source)
    text = decode_text(data, source)
    carrier = "markdown" if suffix.lower() in (".md", ".markdown") else "text"
    return read_text(text, source, carrier)


def _checked(path: str | Path) -> int:
    """The size of an existing, not too large file."""
    p = Path(path)
    if not p.exists():
        raise GongkaiError("文件不存在", path=str(path))
    if p.is_dir():
        raise GongkaiError("这是一个目录，不是文件", path=str(path))
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise GongkaiError(f"文件过大（{size / 1048576:.1f} MB），超过 {MAX_BYTES // 1048576} MB 上限", path=str(path))
    return size


def _load(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise GongkaiError(f"无法读取文件（{e.strerror}）", path=str(path)) from None


def read_path(path: str | Path) -> Document:
    _checked(path)
    return read_bytes(_load(path), str(path), Path(path).suffix)


_KIND_WORDS = {
    "pdf": "PDF文件",
    "zip": "Word等办公文档",
    "ole": "Word等办公文档",
    "html": "网页",
    "text": "文本文件",
    "image": "图片",
}


def read_page_images(paths: Sequence[str | Path]) -> Document:
    """Image files read as the pages of ONE report, in the order given (``read_image_pages``)."""
    if not paths:
        raise GongkaiError("没有给出报告各页的图片文件")
    total = sum(_checked(p) for p in paths)
    _check_total(total, str(paths[0]))
    return read_image_pages([(_load(p), str(p)) for p in paths])


def read_image_pages(files: Sequence[tuple[bytes, str]]) -> Document:
    """Images (bytes, file name) read as the pages of ONE report, in the order given: a table
    running off one image continues on the next. Every file must be an image by the
    dispatcher's own detection (its content, and a suffix that agrees with it); anything else
    is refused, naming the file, before any page is read. Named after the first file."""
    if not files:
        raise GongkaiError("没有给出报告各页的图片文件")
    _check_total(sum(len(data) for data, _ in files), files[0][1])
    for data, name in files:
        kind = _kind(data, name, Path(name).suffix)
        if kind != "image":
            raise GongkaiError(
                f"这是{_KIND_WORDS.get(kind, kind)}，不是图片；作为同一份报告各页读取的文件都应是图片"
                "（PNG、JPEG、TIFF、BMP）",
                path=name,
            )
    from .scan import read_images

    with input_problems(files[0][1], "image"):
        return read_images(list(files))


def _check_total(total: int, first: str) -> None:
    if total > MAX_PAGE_IMAGES_BYTES:
        raise GongkaiError(
            f"这些图片文件合计 {total / 1048576:.1f} MB，超过 {MAX_PAGE_IMAGES_BYTES // 1048576} MB 上限", path=first
        )
