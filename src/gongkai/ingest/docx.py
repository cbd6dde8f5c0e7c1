"""Reader for reports published as Word documents (DOCX; DOC/WPS through LibreOffice).

Walks the document body in order: paragraphs (Heading/标题/Title styles and outline levels
marked as headings) and tables, whose merged cells (gridSpan, vMerge) are expanded into a
``Grid``. A table that only holds other tables is layout: its inner tables are the grids.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from docx import Document as open_docx
from docx.oxml.ns import qn

from gongkai.errors import GongkaiError
from gongkai.ingest.model import Block, Document, Grid, Paragraph
from gongkai.ingest.textkit import join_cjk as join_lines

MAX_UNPACKED = 200 * 1024 * 1024  # sum of the declared uncompressed sizes
MAX_RATIO = 200  # compression ratio of word/document.xml
CONVERT_TIMEOUT = 60  # seconds for LibreOffice to convert a .doc/.wps
MAX_SPAN = 100

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*\d$|^(?:title|标题)$", re.I)
SPACE_RE = re.compile(r"\s+")

W_P, W_TBL, W_SDT, W_TR, W_TC = (qn(f"w:{t}") for t in ("p", "tbl", "sdt", "tr", "tc"))
W_SDT_CONTENT = qn("w:sdtContent")
W_VAL = qn("w:val")
# Run content that is text; drawings and alternate content (text boxes) are skipped.
W_T, W_TAB, W_BR, W_CR = (qn(f"w:{t}") for t in ("t", "tab", "br", "cr"))
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
SKIP = {qn("w:drawing"), qn("w:pict"), qn("w:del"), f"{MC}AlternateContent"}


def read_docx(data: bytes, source: str = "") -> Document:
    if data[:4] == OLE_MAGIC:
        return read_doc(data, source)
    check_zip(data, source)
    try:
        doc = open_docx(BytesIO(data))
    except Exception as e:  # python-docx raises ValueError, KeyError, lxml errors…
        raise GongkaiError(f"Word 文档（DOCX）内容无法解析（{type(e).__name__}）", path=source) from None
    walker = Walker(doc)
    walker.walk(doc.element.body)
    return Document(walker.blocks, source=source, carrier="docx")


def check_zip(data: bytes, source: str) -> None:
    """Refuse what is not a DOCX, or would unpack to too much, before decompressing anything."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise GongkaiError(
            "不是有效的 Word 文档（DOCX）：文件不是完整的 DOCX 压缩包，可能已损坏或下载不完整", path=source
        ) from None
    except NotImplementedError:  # zipfile: a version field or a compression method it does not know
        raise GongkaiError(
            "不是有效的 Word 文档（DOCX）：压缩包的版本号或压缩方式无法识别，可能已损坏", path=source
        ) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise GongkaiError(
            f"Word 文档解压后过大（{total / 1048576:.0f} MB，上限 {MAX_UNPACKED // 1048576} MB），已拒绝读取",
            path=source,
        )
    main = next((i for i in infos if i.filename == "word/document.xml"), None)
    if main is None:
        raise GongkaiError("不是有效的 Word 文档（DOCX）：压缩包中没有 word/document.xml", path=source)
    if main.file_size / max(main.compress_size, 1) > MAX_RATIO:
        raise GongkaiError("Word 文档的正文压缩比异常（疑似压缩炸弹），已拒绝读取", path=source)


def read_doc(data: bytes, source: str = "") -> Document:
    """A legacy .doc/.wps: converted to DOCX by LibreOffice when it is installed."""
    name = Path(source).name or "文件名"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise GongkaiError(
            "这是旧版 Word/WPS 文档（.doc/.wps），无法直接读取。请用 WPS 或 Word 打开后另存为 .docx，"
            f"或安装 LibreOffice 后执行 soffice --headless --convert-to docx {name}",
            path=source,
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()  # own profile: runs beside other LibreOffice instances
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx"]
        try:
            subprocess.run([*cmd, "--outdir", tmp, str(src)], capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise GongkaiError(
                f"用 LibreOffice 转换旧版 Word/WPS 文档超时（{CONVERT_TIMEOUT} 秒）；"
                "请用 WPS 或 Word 另存为 .docx 后再试",
                path=source,
            ) from None
        out = src.with_suffix(".docx")
        if not out.exists() and _without_writer(soffice):
            raise GongkaiError(
                "这是旧版 Word/WPS 文档（.doc/.wps），已安装的 LibreOffice 缺少 Writer 组件，无法转换。"
                "请安装 Writer（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
                f"或用 WPS 或 Word 将 {name} 另存为 .docx 后再试",
                path=source,
            )
        if not out.exists():
            raise GongkaiError(
                "LibreOffice 无法转换这个旧版 Word/WPS 文档（可能已损坏、加密或不是 Word 文档）；"
                "请用 WPS 或 Word 另存为 .docx 后再试",
                path=source,
            )
        converted = out.read_bytes()
    doc = read_docx(converted, source)
    doc.carrier = "doc"
    return doc


def _without_writer(soffice: str) -> bool:
    """Whether LibreOffice's program directory is known here and lacks Writer (libswlo; Debian
    packages each component apart, so soffice can be there without it)."""
    program = Path(soffice).resolve().parent
    names = {f.name for d in (program, program.parent / "Frameworks") if d.is_dir() for f in d.iterdir()}

    def has(stem: str) -> bool:
        return bool(names & {f"lib{stem}.so", f"lib{stem}.dylib", f"{stem}.dll"})

    return has("mergedlo") and not has("swlo")  # an unknown layout: let LibreOffice's failure speak


# --- text -------------------------------------------------------------------------------------


def run_text(p) -> str:
    """Text of a paragraph element: w:t, tabs and breaks, outside drawings and deletions."""
    parts: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in SKIP:
                continue
            if tag == W_T:
                parts.append(child.text or "")
            elif tag in (W_TAB, W_BR, W_CR):
                parts.append("\n" if tag != W_TAB else " ")
            elif tag != W_P:  # runs, hyperlinks, smart tags, insertions, fields
                walk(child)

    walk(p)
    lines = [SPACE_RE.sub(" ", line.replace("\u3000", " ")).strip() for line in "".join(parts).split("\n")]
    return join_lines([line for line in lines if line])


def content(el):
    """Children of a body/cell element, with content controls (w:sdt) unwrapped."""
    for child in el:
        if child.tag == W_SDT:
            inner = child.find(W_SDT_CONTENT)
            if inner is not None:
                yield from content(inner)
        else:
            yield child


def val(el, path: str, default: str | None = None) -> str | None:
    found = el.find(path)
    if found is None:
        return default
    return found.get(W_VAL, default)


def count(value: str | None) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    if m and len(m.group(1)) > 6:  # gridSpan="111…1": thousands of digits, past int()'s limit
        return MAX_SPAN
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


# --- walking the body -------------------------------------------------------------------------


class Walker:
    def __init__(self, doc) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.styles = {}  # style id → (is heading, outline level or None, based-on id)
        for s in doc.styles.element.findall(qn("w:style")):
            heading = bool(HEADING_STYLE.match((val(s, qn("w:name"), "") or "").strip()))
            level = val(s, f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            self.styles[s.get(qn("w:styleId"))] = (heading, level, val(s, qn("w:basedOn")))

    def is_heading(self, p) -> bool:
        level = val(p, f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if level is not None:
            return level.isdigit() and int(level) < 9
        style = val(p, f"{qn('w:pPr')}/{qn('w:pStyle')}")
        seen = set()
        while style and style not in seen:
            seen.add(style)
            heading, level, based = self.styles.get(style, (False, None, None))
            if heading:
                return True
            if level is not None:
                return level.isdigit() and int(level) < 9
            style = based
        return False

    def walk(self, el) -> None:
        for child in content(el):
            if child.tag == W_P:
                text = run_text(child)
                if text:
                    self.blocks.append(Paragraph(text, heading=self.is_heading(child)))
            elif child.tag == W_TBL:
                self.table(child)

    def table(self, tbl) -> None:
        rows = [tr for tr in content(tbl) if tr.tag == W_TR]
        cells = [[tc for tc in content(tr) if tc.tag == W_TC] for tr in rows]
        nested = [tc for row in cells for tc in row if any(c.tag == W_TBL for c in content(tc))]
        if nested and all(self.own_text(tc) == "" for row in cells for tc in row):
            for row in cells:  # layout: what the cells hold are the blocks
                for tc in row:
                    self.walk(tc)
            return
        self.tables += 1
        n = self.tables
        grid = Grid(rows=[], exact=True)
        above: list[str] = []
        for i, (tr, tcs) in enumerate(zip(rows, cells, strict=True)):
            row, copies = self.expand_row(tr, tcs, above)
            above = row
            if any(row):
                grid.copies.update((len(grid.rows), c) for c in copies)
                grid.rows.append(row)
                grid.where.append(f"第{n}个表格第{i + 1}行")
        if grid.rows:
            width = max(len(r) for r in grid.rows)
            for r in grid.rows:
                r.extend([""] * (width - len(r)))
            self.blocks.append(grid)
        for tc in nested:  # inner tables of a data table: grids of their own, after it
            for child in content(tc):
                if child.tag == W_TBL:
                    self.table(child)

    def own_text(self, tc) -> str:
        """A cell's text, nested tables left out."""
        return join_lines([t for p in content(tc) if p.tag == W_P and (t := run_text(p))])

    def expand_row(self, tr, tcs, above: list[str]) -> tuple[list[str], set[int]]:
        tr_pr = tr.find(qn("w:trPr"))
        before = val(tr_pr, qn("w:gridBefore")) if tr_pr is not None else None
        row: list[str] = [""] * count(before) if before is not None else []
        copies: set[int] = set()
        for tc in tcs:
            tc_pr = tc.find(qn("w:tcPr"))
            span = count(val(tc_pr, qn("w:gridSpan"))) if tc_pr is not None else 1
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            hmerge = val(tc_pr, qn("w:hMerge"), "") if tc_pr is not None else None
            col = len(row)
            if hmerge == "continue" and row:  # legacy horizontal merge: a copy of the cell to its left
                copies.add(col)
                row.append(row[-1])
                continue
            if vmerge is not None and vmerge.get(W_VAL, "continue") == "continue":
                text = above[col] if col < len(above) else ""
            else:
                text = self.own_text(tc)
            for k in range(span):
                if k:
                    copies.add(col + k)
                row.append(text)
        after = val(tr_pr, qn("w:gridAfter")) if tr_pr is not None else None
        if after is not None:
            row.extend([""] * count(after))
        return row, copies
