"""Request validation errors in Chinese (issue 13, item 15): pydantic's English messages
("Field required", "Input should be a valid integer") become ``{"detail": "请求数据有误（…）"}``
naming each field by its JSON key and its Chinese description."""

from __future__ import annotations

from functools import cache

from ninja import Schema

# pydantic's error types → a Chinese sentence (``{…}`` filled from the error's context).
MESSAGES = {
    "missing": "必须填写",
    "string_type": "应为文字",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "不能超过 {max_length} 个字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "bool_type": "应为是或否（true 或 false）",
    "bool_parsing": "应为是或否（true 或 false）",
    "date_type": "应为日期（年-月-日，如 2025-03-01）",
    "date_parsing": "应为日期（年-月-日，如 2025-03-01）",
    "date_from_datetime_parsing": "应为日期（年-月-日，如 2025-03-01）",
    "date_from_datetime_inexact": "应为日期，不含时刻",
    "datetime_type": "应为日期和时间",
    "datetime_parsing": "应为日期和时间",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "list_type": "应为列表",
    "too_long": "项数过多",
    "too_short": "项数不足",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "extra_forbidden": "不是可以提交的字段",
    "uuid_parsing": "格式不正确",
}
# Where a value came from: left out of the path.
_SOURCES = {"body", "query", "path", "form", "header", "cookie", "file", "payload", "data", "filters"}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@cache
def field_names() -> dict[str, str]:
    """JSON key → the Chinese description given to it in the API's schemas."""
    names: dict[str, str] = {}
    for schema in _subclasses(Schema):
        if not schema.__module__.startswith("gongkai."):
            continue
        for key, info in getattr(schema, "model_fields", {}).items():
            label = info.description or info.title
            if label and key not in names and not label.isascii():
                names[info.alias or key] = label.split("（")[0].split("：")[0].split("。")[0]
    return names


def _where(loc) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"第 {part + 1} 项")
        elif str(part) not in _SOURCES:
            key = str(part)
            label = field_names().get(key)
            parts.append(f"{label}（{key}）" if label else f"“{key}”")
    return "·".join(parts) or "请求内容"


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # our own validators: their message is Chinese
        text = str(ctx.get("error") or error.get("msg", ""))
        return text.removeprefix("Value error, ")
    template = MESSAGES.get(kind)
    if template is None:
        return "格式不正确"
    try:
        return template.format(**{k: str(v).replace("'", "") for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：，, ") or "格式不正确"


def chinese_errors(errors) -> str:
    """``请求数据有误（field（key）：message；…）``."""
    where = "；".join(f"{_where(e.get('loc', ()))}：{_message(e)}" for e in errors)
    return f"请求数据有误（{where}）"
