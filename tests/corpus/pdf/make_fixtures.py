#!/usr/bin/env python3
"""Rebuild the LibreOffice-made fixtures from our own rendered DOCX (needs soffice).

    python tests/corpus/pdf/make_fixtures.py

lo-gb2021.pdf, lo-gb2019.pdf: PDF export of render(generated(fmt), "docx");
encrypted.pdf: the gb2019 one with an open password; ../docx/gb2021.doc: Word 97 export.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.test_roundtrip import generated  # noqa: E402

from gongkai.render import render  # noqa: E402

HERE = Path(__file__).parent
ENCRYPT = {
    "EncryptFile": {"type": "boolean", "value": "true"},
    "DocumentOpenPassword": {"type": "string", "value": "x"},
}


def convert(src: Path, to: str, outdir: Path, profile: Path) -> Path:
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to]
    subprocess.run([*cmd, "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=120)
    return outdir / f"{src.stem}.{to.split(':')[0]}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t, profile = Path(tmp), Path(tmp) / "profile"
        for fmt in ("gb2021", "gb2019"):
            src = t / f"lo-{fmt}.docx"
            src.write_bytes(render(generated(fmt), "docx"))
            (HERE / src.with_suffix(".pdf").name).write_bytes(convert(src, "pdf", t, profile).read_bytes())
        enc = t / "enc"
        enc.mkdir()
        locked = convert(t / "lo-gb2019.docx", f"pdf:writer_pdf_Export:{json.dumps(ENCRYPT)}", enc, profile)
        (HERE / "encrypted.pdf").write_bytes(locked.read_bytes())
        doc = convert(t / "lo-gb2021.docx", "doc", t, profile)
        (HERE.parent / "docx" / "gb2021.doc").write_bytes(doc.read_bytes())


if __name__ == "__main__":
    main()
