"""Build the bundled PDF fonts (``GongkaiSerifSC-*.woff2``) in this folder.

The PDF output must not depend on fonts installed on the machine, so the package ships its own:
subsets of Noto Serif CJK SC (SIL Open Font License 1.1, see ``OFL.txt``) renamed to the family
``Gongkai Serif SC`` (the OFL asks derivatives not to pass for the original; the distinct name
also lets tests prove that a PDF embeds these fonts and not a system one).

Source (Debian 12 "bookworm" packages, fetched with ``apt-get download``, never installed):

- ``fonts-noto-cjk`` 1:20220127+repack1-1 (upstream Noto CJK Serif 2.001):
  ``NotoSerifCJK-Regular.ttc`` sha256 a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481,
  ``NotoSerifCJK-Bold.ttc`` sha256 a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac;
  face 2 of each collection is the simplified-Chinese one.
- ``unicode-data`` 15.0.0-1: ``Unihan_OtherMappings.txt`` field ``kTGH``, the 8105 characters
  of the 通用规范汉字表 (2013), and ``Unihan_Variants.txt`` field ``kTraditionalVariant``.

Character set: all of GB 2312 (7445 characters, via Python's ``gb2312`` codec), the 8105 of
通用规范汉字表 and their traditional forms (for reports published in a converted edition),
ASCII and Latin-1, general punctuation, number forms (Ⅰ–Ⅻ), enclosed numbers (①–⑳, ⑴–⒇,
⒈–⒛, ㈠–㈩), CJK symbols and punctuation, full-width forms and a few symbols (℃ № ✓ …): those
of them that the source font has, 12234 characters in 12229 glyphs per weight. Hinting and the
localised and vertical alternates are dropped (horizontal print only). Output is WOFF2 (about
2.6 MB Regular, 2.7 MB Bold), which WeasyPrint decompresses with fontTools (``brotli`` comes
with ``weasyprint``'s own ``fonttools[woff]`` requirement).

Run (as root, on Debian; needs network access to the Debian archive only for the download)::

    .venv/bin/python src/gongkai/data/fonts/make_fonts.py            # download, extract, build
    .venv/bin/python src/gongkai/data/fonts/make_fonts.py --from DIR  # DIR: already extracted debs

and commit the regenerated ``*.woff2`` and ``OFL.txt``. The script also lists characters that
occur in the project's sources and corpus but are not in the subset, to consider adding.
"""

from __future__ import annotations

import argparse
import bz2
import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
PACKAGES = ("fonts-noto-cjk=1:20220127+repack1-1", "unicode-data=15.0.0-1")
FONT_DIR = "usr/share/fonts/opentype/noto"
UNIHAN = "usr/share/unicode"
COPYRIGHT = "usr/share/doc/fonts-noto-cjk/copyright"
SC_FACE = 2  # index of the SC face in the Noto Serif CJK collections

FAMILY = "Gongkai Serif SC"
PS_FAMILY = "GongkaiSerifSC"
# output file stem -> (source collection, style name, usWeightClass)
STYLES = {"Regular": ("NotoSerifCJK-Regular.ttc", 400), "Bold": ("NotoSerifCJK-Bold.ttc", 700)}

RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: · × ÷ ° § ±
    (0x2010, 0x205E),  # general punctuation: – — ‘ ’ “ ” … ‰ ※ •
    (0x2150, 0x218B),  # number forms: Ⅰ–Ⅻ ⅰ–ⅻ
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics: ①–⑳ ⑴–⒇ ⒈–⒛
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ▲ △ ◆ ◇ ○ ●
    (0x2600, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、 。 〔 〕 【 】 《 》 「 」
    (0x3220, 0x3243),  # parenthesised ideographs: ㈠–㈩
    (0x3280, 0x32B0),  # circled ideographs: ㊀–㊉
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF65),  # full-width forms
    (0xFFE0, 0xFFE6),  # full-width signs: ￠ ￡ ￥
)
SYMBOLS = "℃℉№℡™←↑→↓√∞∟∠∥∧∨∩∪∫∮∴∵∶∷∽≈≌≠≡≤≥≦≧≮≯⊙⊥⌒−∕∑∏∈✓✔✕✗✘"


def gb2312() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((high, low)).decode("gb2312"))
    return chars


def unihan(root: Path, name: str, field: str) -> dict[str, str]:
    """One field of a Unihan file: character -> value."""
    values = {}
    with bz2.open(root / UNIHAN / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("U+"):
                code, key, value = line.rstrip("\n").split("\t", 2)
                if key == field:
                    values[chr(int(code[2:], 16))] = value
    return values


def tongyong(root: Path) -> set[str]:
    chars = set(unihan(root, "Unihan_OtherMappings.txt.bz2", "kTGH"))
    if len(chars) != 8105:
        raise SystemExit(f"expected 8105 kTGH characters, found {len(chars)}")
    return chars


def traditional(root: Path, simplified: set[str]) -> set[str]:
    """The traditional forms of ``simplified`` (some sites also publish a converted edition)."""
    chars: set[str] = set()
    for char, value in unihan(root, "Unihan_Variants.txt.bz2", "kTraditionalVariant").items():
        if char in simplified:
            chars.update(chr(int(code[2:], 16)) for code in value.split())
    return chars


def wanted(root: Path) -> set[str]:
    common = tongyong(root)
    chars = gb2312() | common | traditional(root, common) | set(SYMBOLS)
    for lo, hi in RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    return chars


def build(root: Path, style: str, source: str, weight: int, chars: set[str]) -> Path:
    font = TTCollection(root / FONT_DIR / source, recalcTimestamp=False).fonts[SC_FACE]
    cmap = font.getBestCmap()
    unicodes = sorted(ord(c) for c in chars if ord(c) in cmap)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    # Horizontal text in one locale: no localised (JP/KR/TC) or vertical alternates.
    options.layout_features = ["kern", "palt"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    rename(font, style, weight)
    font.flavor = "woff2"
    out = HERE / f"{PS_FAMILY}-{style}.woff2"
    font.save(out)
    print(f"{out.name}: {len(unicodes)} characters, {font['maxp'].numGlyphs} glyphs, {out.stat().st_size} bytes")
    return out


def rename(font: TTFont, style: str, weight: int) -> None:
    ps_name = f"{PS_FAMILY}-{style}"
    names = {
        1: FAMILY,
        2: style,
        3: f"{ps_name};subset of Noto Serif CJK SC 2.001",
        4: f"{FAMILY} {style}" if style != "Regular" else FAMILY,
        6: ps_name,
        16: FAMILY,
        17: style,
    }
    table = font["name"]
    # Drop every localised family name of the original (e.g. "思源宋体"), then set ours.
    table.names = [n for n in table.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17, 18, 21, 22)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    font["OS/2"].usWeightClass = weight
    cff = font["CFF "].cff
    cff.fontNames = [ps_name]
    top = cff.topDictIndex[0]
    top.FullName = names[4]
    top.FamilyName = FAMILY
    top.Weight = style


def licence(root: Path) -> None:
    """OFL.txt: the font's copyright notice and the licence text from Debian's copyright file."""
    font = TTCollection(root / FONT_DIR / STYLES["Regular"][0], lazy=True).fonts[SC_FACE]
    notice = font["name"].getDebugName(0)
    text = (root / COPYRIGHT).read_text(encoding="utf-8")
    start = text.index("License: SIL-1.1\n -")
    end = text.index("\nLicense:", start + 1)
    lines = [line[1:] if line != " ." else "" for line in text[start:end].splitlines()[1:]]
    head = (
        f"{notice} Noto is a trademark of Google Inc.\n"
        f"The fonts in this folder are subsets of Noto Serif CJK SC 2.001 renamed to {FAMILY}\n"
        "(see make_fonts.py); they remain under the SIL Open Font License 1.1 below.\n\n"
    )
    (HERE / "OFL.txt").write_text(head + "\n".join(lines).strip("\n") + "\n", encoding="utf-8")


def fetch(work: Path) -> Path:
    subprocess.run(["apt-get", "download", *PACKAGES], cwd=work, check=True)
    root = work / "root"
    for deb in sorted(work.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def uncovered(chars: set[str]) -> str:
    project = HERE.parents[3]
    seen: set[str] = set()
    for folder in ("src", "tests/corpus", "docs"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".txt", ".md", ".html", ".json", ".toml", ".csv"}:
                try:
                    seen.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F)
                except UnicodeDecodeError:
                    continue
    return "".join(sorted(seen - chars))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="root", type=Path, help="folder where the two .deb files were extracted")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-fonts-") as tmp:
        root = args.root or fetch(Path(tmp))
        chars = wanted(root)
        covered: set[str] = set()
        for style, (source, weight) in STYLES.items():
            out = build(root, style, source, weight, chars)
            covered |= {chr(c) for c in TTFont(out, lazy=True).getBestCmap()}
        licence(root)
    missing = uncovered(covered)
    if missing:
        print(f"characters in the project's files that the fonts lack: {missing}", file=sys.stderr)


if __name__ == "__main__":
    main()
