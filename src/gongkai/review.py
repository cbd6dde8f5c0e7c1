"""Moved to ``gongkai.batch`` (files, limits, pool, journal, outputs, review); this module
keeps the names code imports from it (``from gongkai.review import page_groups``)."""

from .batch import *  # noqa: F403
from .batch import __all__ as _batch_names
from .batch.review import review
from .parse import parse_page_images, parse_path

__all__ = [*_batch_names, "parse_page_images", "parse_path", "review"]
