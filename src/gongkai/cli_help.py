"""Chinese help screens for the command line, through Typer's and Click's public extension points.

Typer has no setting for the fixed words of its help screens ("Usage:", "[required]",
"[default: …]", the type column), so every command and sub-Typer is built with ``cls=`` one of
the classes below (Typer does not pass a class down to sub-commands): they override Click's
public ``collect_usage_pieces``, ``format_usage``, ``get_help_option`` and ``format_help``, and
draw the help screen with Rich from the commands' and parameters' public attributes, in the
layout of Typer's own help screens. Nothing here touches Typer's modules or their globals.
"""

from __future__ import annotations

import inspect
import re
from enum import Enum

import typer.core
from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
TYPE_WORDS = {
    "int": "整数",
    "integer": "整数",
    "float": "数",
    "str": "文本",
    "text": "文本",
    "path": "路径",
    "Path": "路径",
}
ARGUMENTS_TITLE = "参数"
OPTIONS_TITLE = "选项"
COMMANDS_TITLE = "命令"
HELP_OPTION_HELP = "显示本帮助并退出。"
DEPRECATED = "（已停用）"

_OPTION_IN_TEXT = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def type_label(label: str | None) -> str | None:
    """``<int>`` → ``<整数>``, ``<list[str]>`` → ``<文本…>``; none for on/off switches."""
    m = re.fullmatch(r"<(?:list\[)?(\w+)(\]| range)?>", label or "")
    if m is None:
        return label  # choices are shown as their values
    if m[1] == "bool":
        return None
    return f"<{TYPE_WORDS.get(m[1], m[1])}{'…' if m[2] == ']' else ''}>"


class _ChineseHelp:
    """Click's public help hooks, in Chinese; mixed into Typer's command and group classes."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [USAGE_WORDS.get(p, p) for p in super().collect_usage_pieces(ctx)]

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_help(self, ctx, formatter) -> None:
        # Printed straight to the terminal, as Typer prints its own Rich help screens.
        print_help(self, ctx)


class ChineseCommand(_ChineseHelp, typer.core.TyperCommand):
    """A command whose help screen is in Chinese: ``app.command(cls=ChineseCommand)``."""


class ChineseGroup(_ChineseHelp, typer.core.TyperGroup):
    """A group whose help screen is in Chinese: ``typer.Typer(cls=ChineseGroup)``."""


def print_help(command, ctx) -> None:
    """The help screen of ``command``: usage, description, parameter and sub-command panels."""
    console = Console(highlight=False)
    mode = getattr(command, "rich_markup_mode", None)
    usage = Text(command.get_usage(ctx), style="bold")
    usage.highlight_regex(r"^\s*用法：", "yellow")
    console.print(Padding(usage, 1))
    if command.help:
        console.print(Padding(_description(command, mode), (0, 1, 1, 1)))

    arguments: dict[str, list] = {ARGUMENTS_TITLE: []}
    options: dict[str, list] = {OPTIONS_TITLE: []}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            arguments.setdefault(getattr(param, "rich_help_panel", None) or ARGUMENTS_TITLE, []).append(param)
        else:
            options.setdefault(getattr(param, "rich_help_panel", None) or OPTIONS_TITLE, []).append(param)
    for title, params in [*arguments.items(), *options.items()]:
        if params:
            console.print(_panel(title, _params_table(params, ctx, mode)))

    if isinstance(command, typer.core.TyperGroup):
        panels: dict[str, list] = {COMMANDS_TITLE: []}
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                panels.setdefault(getattr(sub, "rich_help_panel", None) or COMMANDS_TITLE, []).append((name, sub))
        width = max((len(name) for subs in panels.values() for name, _ in subs), default=0)
        for title, subs in panels.items():
            if subs:
                console.print(_panel(title, _commands_table(subs, width, mode)))

    if command.epilog:
        console.print(Padding(_text(inspect.cleandoc(command.epilog), mode), 1))


def _text(text: str, mode: str | None, style: str = "") -> Text:
    """Help text as written: Rich markup unless markup is off; the options it names highlighted."""
    rendered = Text.from_markup(text, style=style) if mode == "rich" else Text(text, style=style)
    rendered.highlight_regex(_OPTION_IN_TEXT, "bold cyan")
    return rendered


def _description(command, mode: str | None) -> RenderableType:
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    if command.deprecated:
        text = f"{DEPRECATED}{text}"
    if mode == "markdown":
        return Markdown(text)
    first, _, rest = text.partition("\n\n")
    description = _text(first.replace("\n", " ").strip(), mode)
    if rest.strip():
        description.append("\n\n")
        description.append_text(_text(rest.strip(), mode, style="dim"))
    return description


def _panel(title: str, table: Table) -> Panel:
    return Panel(table, border_style="dim", title=title, title_align="left")


def _table() -> Table:
    return Table(highlight=False, show_header=False, expand=True, box=None, pad_edge=False, padding=(0, 1))


def _params_table(params: list, ctx, mode: str | None) -> Table:
    table = _table()
    starred = any(p.required for p in params)
    for _ in range(6 if starred else 5):  # star, names (4), type
        table.add_column(no_wrap=True)
    table.add_column(ratio=1)  # help takes the rest of the width
    for param in params:
        if param.param_type_name == "argument":
            name = param.metavar or param.name
            if param.metavar is None and param.nargs != 1:
                name += "…"
            names = ["", name, "", ""]
        else:
            names = [
                ",".join(o for o in param.opts if o.startswith("--")),
                ",".join(o for o in param.opts if not o.startswith("--")),
                ",".join(o for o in param.secondary_opts if o.startswith("--")),
                ",".join(o for o in param.secondary_opts if not o.startswith("--")),
            ]
        row: list[RenderableType] = [Text("*", style="red")] if starred and param.required else []
        if starred and not param.required:
            row.append("")
        row += [
            Text(names[0], style="bold cyan"),
            Text(names[1], style="bold green"),
            Text(names[2], style="bold magenta"),
            Text(names[3], style="bold red"),
            Text(_param_type(param, ctx) or "", style="bold yellow", overflow="fold"),
            _param_help(param, ctx, mode),
        ]
        table.add_row(*row)
    return table


def _param_type(param, ctx) -> str | None:
    """The type column: the option's metavar, or the parameter's type in Chinese, and its range."""
    if param.param_type_name == "option" and (getattr(param, "is_flag", False) or getattr(param, "count", False)):
        label = None
    elif param.param_type_name == "option" and param.metavar is not None:
        label = param.metavar
    else:
        display_type = getattr(param, "display_type", None)
        label = type_label(display_type(ctx)) if display_type is not None else None
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None or high is not None:
        bounds = f"x>={low}" if high is None else f"x<={high}" if low is None else f"{low}<=x<={high}"
        label = f"{label or ''} [{bounds}]".strip()
    return label


def _param_help(param, ctx, mode: str | None) -> Text:
    text = _text(inspect.cleandoc(getattr(param, "help", None) or "").replace("\n", " "), mode)
    notes: list[tuple[str, str]] = []
    envvar = getattr(param, "envvar", None)
    if envvar and getattr(param, "show_envvar", False):
        names = envvar if isinstance(envvar, str) else "、".join(envvar)
        notes.append((f"[环境变量：{names}]", "dim yellow"))
    default = _default_text(param, ctx)
    if default:
        notes.append((f"[默认：{default}]", "dim"))
    if param.required:
        notes.append(("[必填]", "dim red"))
    for note, style in notes:
        if text:
            text.append(" ")
        text.append(note, style=style)
    return text


def _default_text(param, ctx) -> str | None:
    """The default shown after an option's help, as Typer shows it; none when it is not shown."""
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return show
    if not (show or getattr(ctx, "show_default", None)):
        return None
    value = param.get_default(ctx, call=False)
    if value is None:
        return None
    if getattr(param, "is_flag", False):
        if param.secondary_opts:  # --x/--no-x: the one that is on by default
            return (param.opts if value else param.secondary_opts)[0].lstrip("-")
        return str(value) if value else None
    if isinstance(value, (list, tuple)):
        return "、".join(str(v.value if isinstance(v, Enum) else v) for v in value) or None
    if isinstance(value, Enum):
        return str(value.value)
    if callable(value):
        return "（动态）"
    return str(value)


def _commands_table(subs: list, width: int, mode: str | None) -> Table:
    table = _table()
    table.add_column(style="bold cyan", no_wrap=True, width=width)
    table.add_column(ratio=10)
    deprecated = any(sub.deprecated for _, sub in subs)
    for name, sub in subs:
        first = inspect.cleandoc(sub.short_help or sub.help or "").partition("\f")[0].split("\n\n")[0]
        row: list[RenderableType] = [
            Text(name, style="dim" if sub.deprecated else ""),
            _text(first.replace("\n", " ").strip(), mode),
        ]
        if deprecated:
            row.append(Text(DEPRECATED, style="red") if sub.deprecated else "")
        table.add_row(*row)
    return table
