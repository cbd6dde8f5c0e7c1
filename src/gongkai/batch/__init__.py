"""``gongkai review``: a folder of reports into one table, whatever goes wrong with a file.

- ``files``: finding the reports in a folder (symlinks, loops, FIFOs), page images of one report;
- ``limits``: the time and memory limits each file is read under;
- ``pool``: worker processes enforcing them, and ``run_limited`` for one file;
- ``journal``: finished entries appended as they complete, for ``--resume`` after a kill;
- ``outputs``: the tables, written atomically, and read back;
- ``review``: the use case.

The names below are imported from their modules on first use, so that the command line can
read the defaults (``limits``) without loading the readers.
"""

from __future__ import annotations

import importlib

_HOME = {
    "files": ("IMAGE_SUFFIXES PAGE_MARK_RE SUFFIXES Folder Skipped carrier_of find_reports page_groups scan_folder"),
    "limits": "DEFAULT_MAX_MEMORY DEFAULT_TIMEOUT MEMORY_LIMITED Limits memory_words parse_memory",
    "journal": "journal_path read_journal",
    "model": "Entry Parse ParsePages Result Task status_of",
    "outputs": (
        "CELL_IDS COLUMNS OUTPUTS STATUS_WORDS cross_issues entry_from_row issue_rows output_kind read_entries "
        "report_row summary_rows table_rows write"
    ),
    "pool": "parse_one run_limited run_pool",
    "review": "Interrupted",  # the function: gongkai.batch.review.review (the name is its module's)
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names.split()}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
