from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
SEEDS = CORPUS / "seeds"


@pytest.fixture
def corpus() -> Path:
    return CORPUS
