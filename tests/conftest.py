import copy
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
SEEDS = CORPUS / "seeds"


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
