"""Request and response shapes of the annual report's versions: narrative sections with their
versions (optimistic locking), submission, return, and the differences between versions."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

SECTION_DOC = "正文部分：s1（一、总体情况）… s6（六、其他需要报告的事项）"


class SectionOut(Schema):
    section: str = Field(description=SECTION_DOC)
    version: int = Field(description="该部分的当前稿号（0：尚未保存）；保存时须带上，用于发现他人同时修改")
    text: str = Field(description="正文")
    source: str = Field(
        description="来源：generated（由台账生成，重新生成时随台账更新）、person（人工撰写，不会被覆盖）"
    )
    author: str | None = Field(None, description="保存人用户名")
    at: datetime | None = Field(None, description="保存时间")
    note: str = Field("", description="说明（如“恢复第2稿”）")
    generated: str | None = Field(None, description="人工撰写的部分：最近一次按台账生成、与之不同的文本（供参考）")


class SectionIn(Schema):
    text: str = Field(max_length=20000, description="新的正文")
    version: int = Field(ge=0, description="开始编辑时该部分的稿号（GET 所得的 version）")


class ConflictOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    section: str = Field(description=SECTION_DOC)
    version: int = Field(description="已保存的当前稿号：合并后以此稿号重新保存")
    saved: str = Field(description="他人已保存的文本")
    saved_by: str = Field(description="保存人")
    saved_at: datetime | None = Field(description="保存时间")
    mine: str = Field(description="本次提交、未保存的文本")


class RestoreIn(Schema):
    version: int = Field(ge=1, description="要恢复的稿号")
    current: int = Field(ge=0, description="当前稿号（防止覆盖他人刚保存的文本）")


class SubmitIn(Schema):
    confirm: bool = Field(description="确认报送（报送后不能再修改，须上级退回修改）；须为 true")


class RefusedOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    problems: list[str] = Field([], description="报送前需要修正的各项（检查错误、占位文字、空白部分）")


class ReturnIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="退回修改的理由")


class VersionOut(Schema):
    id: int = Field(description="报告编号")
    version: int = Field(description="版本号（同一机关同一年度从 1 起）")
    status: str = Field(description="状态：draft（草稿）、submitted（已报送）、locked（已锁定）")
    submitted_at: datetime | None = Field(description="报送时间")
    returned: bool = Field(description="是否已被上级退回修改")
    returned_at: datetime | None = Field(None, description="退回时间")
    return_reason: str = Field("", description="退回理由")
    stale: list[str] = Field([], description="报送后在台账中有变动、计入本年度的申请编号（报告数据可能已不是最新）")


class CellChangeOut(Schema):
    cell: str = Field(description="单元格编号")
    label: str = Field(description="单元格名称")
    old: int | float | None = Field(description="上一版的值")
    new: int | float | None = Field(description="本版的值")


class SectionChangeOut(Schema):
    section: str = Field(description=SECTION_DOC)
    label: str = Field(description="部分标题")
    old: str = Field(description="上一版的文本")
    new: str = Field(description="本版的文本")


class ChangesOut(Schema):
    base: VersionOut | None = Field(description="比较的上一版（已报送或已锁定）；没有上一版时为空")
    cells: list[CellChangeOut] = Field(description="变化的单元格")
    sections: list[SectionChangeOut] = Field(description="变化的正文部分")
