"""Rebuild the scanned fixtures in this folder.

    python tests/corpus/scan/make_scans.py

Reports with every cell a distinct number (``tests.test_roundtrip.generated``) are rendered
to DOCX, converted to PDF by LibreOffice, rasterised with pypdfium2 and degraded like a
scan: grayscale, a slight rotation, gaussian noise, JPEG compression. A real report
(``tests/corpus/pdf/hongze-2023.pdf``) is scanned the same way. Needs ``soffice`` on PATH.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.test_roundtrip import generated  # noqa: E402

from gongkai.render import render  # noqa: E402


def docx_to_pdf(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "report.pdf").read_bytes()


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in doc]
    finally:
        doc.close()


def degrade(im: Image.Image, angle: float, noise: float, seed: int, quality: int = 70) -> Image.Image:
    """A scanner's look: rotated a little, noisy, JPEG-compressed."""
    im = im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    a = np.asarray(im, dtype=np.float32)
    a += np.random.default_rng(seed).normal(0, noise, a.shape)
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=70)


def main() -> None:
    # gb2021: a scanned PDF at 200 dpi.
    pages = rasterise(docx_to_pdf(render(generated("gb2021"), "docx")), 200)
    scans = [degrade(p, 0.5, 6, i) for i, p in enumerate(pages)]
    save_pdf(scans, HERE / "gb2021-scan.pdf", 200)

    # gb2019: JPEG pages at 200 dpi, rotated the other way.
    pages = rasterise(docx_to_pdf(render(generated("gb2019"), "docx")), 200)
    for i, p in enumerate(pages, start=1):
        degrade(p, -0.4, 6, 10 + i).save(HERE / f"gb2019-{i}.jpg", quality=70)

    # legacy: a multi-page bilevel TIFF, as a fax-like scanner makes it.
    pages = rasterise(docx_to_pdf(render(generated("legacy"), "docx")), 200)
    bilevel = [
        degrade(p, 0.3, 4, 20 + i, quality=90).point(lambda v: 255 if v > 150 else 0).convert("1")
        for i, p in enumerate(pages)
    ]
    bilevel[0].save(
        HERE / "legacy-scan.tiff", save_all=True, append_images=bilevel[1:], compression="group4", dpi=(200, 200)
    )

    # A page with no table: the top of gb2021's first page, as PNG.
    first = rasterise(docx_to_pdf(render(generated("gb2021"), "docx")), 150)[0]
    top = first.crop((0, 0, first.width, first.height * 2 // 5))
    top.point(lambda v: 255 if v > 160 else 0).convert("1").save(HERE / "no-table.png", optimize=True)

    # A real report, scanned at 150 dpi.
    pages = rasterise((ROOT / "tests/corpus/pdf/hongze-2023.pdf").read_bytes(), 150)
    scans = [degrade(p, -0.5, 5, 30 + i) for i, p in enumerate(pages)]
    save_pdf(scans, HERE / "hongze-2023-scan.pdf", 150)


if __name__ == "__main__":
    main()
