"""Errors the office's services raise: Chinese messages, shown as is by the CLI and the web."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gongkai.errors import GongkaiError


class OfficeError(GongkaiError):
    """A use case refused: invalid input or a state that does not allow it."""


class NotAllowed(OfficeError, PermissionDenied):
    """The actor lacks the role the use case needs (a ``PermissionDenied`` for the web layer)."""


class ReportLocked(OfficeError):
    """A locked (or submitted) annual report cannot be changed."""
