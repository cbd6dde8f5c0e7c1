"""How long what a person types may be (issue 13, item 15): the same limits in the forms, the
API's schemas and the services (the CLI and anything else that registers or edits)."""

from __future__ import annotations

from gongkai.office.errors import OfficeError

APPLICANT_MAX = 100  # 申请人（姓名或名称）
CONTENT_MAX = 2000  # 申请内容
DETAILS_MAX = 5000  # 答复书、告知书的补充说明
NOTE_MAX = 500  # 备注、理由


def check_length(value: str | None, limit: int, label: str) -> None:
    """Refuse ``value`` longer than ``limit`` characters, in Chinese."""
    if value and len(value) > limit:
        raise OfficeError(f"{label}不能超过{limit}字（现有{len(value)}字）")
