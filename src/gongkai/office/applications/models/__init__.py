"""Applications (依申请公开): the application, its append-only event ledger, its fee."""

from .application import Application, ApplicationQuerySet, State
from .event import ApplicationEvent, EventKind
from .fee import Fee, FeeBasis

__all__ = ["Application", "ApplicationEvent", "ApplicationQuerySet", "EventKind", "Fee", "FeeBasis", "State"]
