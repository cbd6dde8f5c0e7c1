"""What we write for others to open: strict JSON, XML-safe text, spreadsheet cells that are never
formulas, and files written whole or not at all (``write_atomic``, with the permissions of an
ordinary file, not ``mkstemp``'s 0600).

One rule for every spreadsheet and CSV the project writes (``gongkai render`` to XLSX, the
``review`` outputs, every export of the web interface): text is text. A spreadsheet program
runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, after a tab or a carriage return,
whatever follows) as a formula; a report's paragraph ``=HYPERLINK("http://…"&A1,…)`` or a file
named ``=cmd|' -C calc'!A0.txt`` must arrive as the text it is.

- XLSX: text is written with XlsxWriter's ``write_string`` (never ``write``, which makes a
  formula of ``=…``), numbers with ``write_number``; workbooks are opened with
  ``strings_to_formulas``/``strings_to_urls``/``strings_to_numbers`` off (``workbook``), so
  ``merge_range`` and ``write_row`` keep text as text too.
- CSV: text starting with one of ``FORMULA_STARTS`` gets a leading ``'`` (``csv_text``); so
  does text that already starts with ``'`` before one of them, so that ``from_csv_text`` reads
  every text back exactly. Numbers stay numbers.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from .values import is_bounded

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


# ------------------------------------------------------------------ JSON


def _json_default(v):
    if isinstance(v, Decimal):
        if not is_bounded(v):
            raise ValueError(f"数值 {v!s:.40} 超出范围，不能写入 JSON")
        return int(v) if v == v.to_integral_value() else float(v)
    raise TypeError(f"{type(v).__name__} 不能写入 JSON")


def json_text(obj, *, indent: int | None = None) -> str:
    """Strict JSON (no NaN, no Infinity; Decimal as a plain number), non-ASCII kept as is."""
    return json.dumps(obj, ensure_ascii=False, indent=indent, allow_nan=False, default=_json_default)


# ------------------------------------------------------------------ XML

# What XML 1.0 cannot hold (python-docx refuses it): C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF. A document may bring them (\x0b from Word's manual
# line break, \x1b from a terminal, NULs from damage); a DOCX we write leaves them out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


# ------------------------------------------------------------------ spreadsheets


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet program would take ``text`` (in a CSV cell) for a formula."""
    return text.startswith(FORMULA_STARTS) or (
        text.startswith(_QUOTE) and text.lstrip(_QUOTE).startswith(FORMULA_STARTS)
    )


def csv_text(value):
    """A value for a CSV cell: text that could run as a formula with a leading ``'``; numbers as they are."""
    if isinstance(value, str) and needs_quote(value):
        return _QUOTE + value
    return value


def from_csv_text(text: str) -> str:
    """The text ``csv_text`` was given."""
    return text[1:] if needs_quote(text) and text.startswith(_QUOTE) else text


def workbook(target, options: dict | None = None):
    """An XlsxWriter workbook that writes every str as text: no formulas, links or numbers made of it."""
    import xlsxwriter

    safe = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    return xlsxwriter.Workbook(target, (options or {}) | safe)


def write_cell(sheet, row: int, col: int, value, fmt=None) -> None:
    """One XLSX cell: text with ``write_string``, numbers with ``write_number``, None blank."""
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def write_cells(sheet, row: int, col: int, values, fmt=None) -> None:
    """A row of XLSX cells from ``(row, col)`` rightwards, each by ``write_cell``."""
    for k, value in enumerate(values):
        write_cell(sheet, row, col + k, value, fmt)


# ------------------------------------------------------------------ files


def write_atomic(path: Path, data: bytes | Callable[[Path], None]) -> None:
    """All of the file or nothing: ``data`` (or what ``data(tmp)`` writes to a temporary file)
    renamed into place. A new file gets the permissions the umask gives (0644 under 022), a
    rewritten one keeps its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(fd, file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
        if not isinstance(data, bytes):
            data(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_mode(path: Path) -> int:
    """The permissions for (re)writing ``path``: those it has, or those a new file gets under
    the umask (0644 under the usual 022)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux: read it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and put back at once
    os.umask(mask)
    return mask
