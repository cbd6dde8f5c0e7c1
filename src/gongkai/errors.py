"""Errors meant for people: a Chinese message naming the file, the place and the problem."""

from __future__ import annotations


class GongkaiError(Exception):
    """A problem with the user's input. ``str()`` is the Chinese message shown as is."""

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None):
        self.message = message
        self.path = path
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = "，".join(p for p in (self.path and f"文件 {self.path}", self.where) if p)
        return f"{head}：{self.message}" if head else self.message
