import copy
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
SEEDS = CORPUS / "seeds"

# --- the fast lane ------------------------------------------------------------------------------
# `python3 dev.py test --fast` runs `pytest -m "not slow"`. Tests marked ocr (reading page images
# with the OCR engine), server (gunicorn processes) or browser (Chromium) are slow as well, and so
# is every test using the ``ocr_once`` fixture: it is there because the test reads real pages.
SLOW_KINDS = ("ocr", "server", "browser")


@pytest.hookimpl(tryfirst=True)  # before -m selects by these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "ocr_once" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ocr)
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)


# --- LibreOffice ------------------------------------------------------------------------------
# Each component is its own package (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui) and
# its own library beside soffice's program (/usr/lib/libreoffice/program/libswlo.so, libsclo.so;
# swlo.dll on Windows; in Contents/Frameworks on macOS): soffice alone may have neither.
LIBREOFFICE_LIBRARIES = {"Writer": "swlo", "Calc": "sclo"}
LIBREOFFICE_PACKAGES = {"Writer": "libreoffice-writer-nogui", "Calc": "libreoffice-calc-nogui"}


def libreoffice_missing(*components: str) -> str | None:
    """Why LibreOffice cannot run a test needing ``components`` ("Writer", "Calc"), in Chinese;
    None when it can. An installation laid out in a way not known here counts as complete."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "未安装 LibreOffice（PATH 上没有 soffice）"
    program = Path(soffice).resolve().parent
    names = {f.name for d in (program, program.parent / "Frameworks") if d.is_dir() for f in d.iterdir()}

    def has(stem: str) -> bool:
        return any(n in names for n in (f"lib{stem}.so", f"lib{stem}.dylib", f"{stem}.dll"))

    if not has("mergedlo") and not any(has(stem) for stem in LIBREOFFICE_LIBRARIES.values()):
        return None  # not the program directory we know: assume complete, as before
    absent = [c for c in components if not has(LIBREOFFICE_LIBRARIES[c])]
    if not absent:
        return None
    packages = " ".join(LIBREOFFICE_PACKAGES[c] for c in absent)
    return f"LibreOffice 缺少 {'、'.join(absent)} 组件（Debian/Ubuntu：apt-get install {packages}）"


def needs_libreoffice(*components: str) -> pytest.MarkDecorator:
    """Skip, naming what is missing, unless soffice and these components are installed."""
    missing = libreoffice_missing(*components)
    return pytest.mark.skipif(missing is not None, reason=f"{missing}，跳过此测试")


@pytest.fixture
def corpus() -> Path:
    return CORPUS


_OCR_READS: dict[tuple[bytes, ...], object] = {}


def reuse_ocr_reads(mp: pytest.MonkeyPatch) -> None:
    """Image pages with exactly the same bytes as pages read before in this session are not
    read again: ``scan.read_images`` returns a copy of what it read then, named after the new
    first file. A real read of the scanned fixtures costs seconds per page; tests of what
    happens around the reading (command line, review) need not pay it twice."""
    from gongkai.ingest import scan

    real = scan.read_images

    def read_images(files):
        key = tuple(data for data, _name in files)
        if key not in _OCR_READS:
            _OCR_READS[key] = real(files)
        doc = copy.deepcopy(_OCR_READS[key])
        doc.source = files[0][1]
        return doc

    mp.setattr(scan, "read_images", read_images)


@pytest.fixture
def ocr_once(monkeypatch):
    reuse_ocr_reads(monkeypatch)


@pytest.fixture
def without_ocr(monkeypatch):
    """The OCR engine cannot be imported (as without the ``gongkai[ocr]`` extra)."""
    import builtins

    from gongkai.ingest import scan

    real_import = builtins.__import__

    def no_ocr(name, *args, **kwargs):
        if name.startswith("rapidocr_onnxruntime"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ocr)
    monkeypatch.setattr(scan, "_ENGINE", None)
