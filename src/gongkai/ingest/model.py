"""The intermediate every reader produces: text blocks and table grids.

A reader turns bytes into a ``Document``; ``gongkai.extract`` maps it to a ``Report``.
No reader knows cell ids or official labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    heading: bool = False  # the carrier marks it as a heading (<h2>, Markdown #, Word style)
    where: str = ""  # place in the source, for messages: 第12行, 第3页


@dataclass
class Grid:
    """A table with merged cells expanded: a merged cell's text is repeated in every
    position it covers, so each row has its labels and values where the table shows them.

    ``exact`` says whether blank cells are real cells of the table (HTML, DOCX, PDF) or
    may be artefacts of a text copy whose separators cannot be trusted (text, Markdown).
    """

    rows: list[list[str]]
    exact: bool = True
    where: list[str] = field(default_factory=list)  # place of each row, for messages
    uncertain: set[tuple[int, int]] = field(default_factory=set)  # (row, col) read with low confidence
    copies: set[tuple[int, int]] = field(default_factory=set)  # (row, col) repeating a colspan to its left

    def place(self, i: int) -> str:
        return self.where[i] if i < len(self.where) else f"表格第{i + 1}行"


Block = Paragraph | Grid


@dataclass
class Document:
    blocks: list[Block]
    source: str = ""  # file name, for messages
    carrier: str = ""  # text, markdown, html, docx, pdf, image
    unread: list[str] = field(default_factory=list)  # places of pictures left unread (no OCR): 第3页的图片
    meta: list[str] = field(default_factory=list)  # page furniture naming the publisher: <title>, 来源：…

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs())
