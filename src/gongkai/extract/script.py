"""Traditional characters (mirror sites, Hong Kong/Taiwan copies) converted to simplified
before any label is matched, with OpenCC's t2s dictionary."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..ingest.model import Document, Grid, Paragraph

# Characters that occur in nearly every traditional-character report and never in a
# simplified one: enough to decide whether converting is needed at all.
_HANT = re.compile("[開請報務資訊數處機關條舉權許費類為與復審結歸據統發區縣鎮國辦應見]")


def is_traditional(doc: Document) -> bool:
    hits = 0
    for block in doc.blocks:
        text = block.text if isinstance(block, Paragraph) else "".join(c for r in block.rows[:8] for c in r)
        hits += len(_HANT.findall(text))
        if hits >= 5:
            return True
    return False


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(doc: Document) -> Document:
    """The document in simplified characters (the same object when it has none to convert)."""
    if not is_traditional(doc):
        return doc
    conv = _converter().convert
    blocks: list[Paragraph | Grid] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            blocks.append(replace(b, text=conv(b.text)))
        else:
            blocks.append(replace(b, rows=[[conv(c) for c in row] for row in b.rows]))
    return replace(doc, blocks=blocks, meta=[conv(m) for m in doc.meta])
