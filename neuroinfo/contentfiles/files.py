"""Reading and writing one content file: YAML front matter, then a Markdown body.

Reading is guarded: only regular files inside the content folder, no bigger than
``settings.CONTENT_MAX_BYTES``, without YAML anchors or aliases, so no file can make
the loader read elsewhere, wait forever or build a huge value.
"""

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

FENCE = "---"


@dataclass
class ContentError(Exception):
    """A problem in a content file, with the line it is on when known."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass
class ParsedFile:
    """A file's front matter, body, and the line each front-matter entry starts on."""

    path: Path
    data: dict[str, Any]
    body: str
    lines: dict[tuple, int] = field(default_factory=dict)
    # The file's lines as an editor counts them, and the line the body starts on.
    text_lines: list[str] = field(default_factory=list)
    body_start: int = 1

    def line_of(self, *where: Any) -> int:
        """The line of a front-matter entry, e.g. ("criteria", 0, "key"), or of its
        parent; an entry that is not there at all: the front matter's first line."""
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return 1

    def body_line(self, fragment: str) -> int:
        """The first body line holding this text (the body's first line if none)."""
        for number in range(self.body_start, len(self.text_lines) + 1):
            if fragment in self.text_lines[number - 1]:
                return number
        return self.body_start

    def error(self, message: str, *where: Any) -> ContentError:
        return ContentError(self.path, message, self.line_of(*where))


class _Loader(yaml.SafeLoader):
    """YAML without anchors (&name) or aliases (*name): a content file never needs
    them, and refusing them at once stops an "alias bomb" before it grows."""

    def compose_node(self, parent, index):  # PyYAML's own signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors (&name) and aliases (*name) are not allowed: "
                "write each value out in full",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


class _Lines:
    """Turns a position in the front matter into a file line, counting only line
    feeds as an editor does (YAML also breaks lines at U+0085, U+2028, U+2029)."""

    def __init__(self, front: str) -> None:
        self.front = front

    def of(self, mark: yaml.Mark) -> int:
        return self.front.count("\n", 0, mark.index) + 2  # 1-based, after the fence


def _walk(node: yaml.Node, loader: _Loader, path: Path, at: tuple, lines: dict, where):
    """Build Python values from a YAML node, noting lines and refusing duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key_line = where.of(key_node.start_mark)
            if not isinstance(key, str):
                raise ContentError(
                    path,
                    f"field names must be text, not {key!r}: write 'name: value'",
                    key_line,
                )
            if key in result:
                raise ContentError(
                    path, f"field '{key}' appears twice: keep only one", key_line
                )
            lines[(*at, key)] = key_line
            result[key] = _walk(value_node, loader, path, (*at, key), lines, where)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*at, index)] = where.of(item.start_mark)
            items.append(_walk(item, loader, path, (*at, index), lines, where))
        return items
    lines.setdefault(at, where.of(node.start_mark))
    return loader.construct_object(node, deep=True)


def _yaml_problem(path: Path, error: yaml.MarkedYAMLError, where: _Lines):
    """A YAML error on the line at fault: where the parser stopped, or where the
    unfinished thing started when it ran off the end or past a line."""
    problem, context = error.problem or "", error.context or ""
    marks = [m for m in (error.problem_mark, error.context_mark) if m]
    # An unfinished list, quoted text or "key: value" line is found where the parser
    # gave up, often a later line: name the line it started on.
    opened = ("a flow", "a simple key", "a quoted scalar", "a block scalar")
    if error.context_mark and (
        "<stream end>" in problem or any(o in context for o in opened)
    ):
        marks.reverse()
    line = where.of(marks[0]) if marks else 2
    message = f"front matter is not valid YAML: {problem or context}"
    if context and problem and len(marks) > 1 and where.of(marks[1]) != line:
        message += f" ({context} on line {where.of(marks[1])})"
    return ContentError(path, message, line)


def parse_text(path: Path, raw: bytes) -> ParsedFile:
    """Split a file into front matter and body, naming the line of any problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            path, "not valid UTF-8 text: save the file with the UTF-8 encoding", line
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise ContentError(
            path, "the file must start with a '---' line (front matter)", 1
        )
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FENCE)
    except StopIteration:
        raise ContentError(
            path,
            "the front matter is not closed: add a '---' line after its last field",
            1,
        ) from None
    front = "\n".join(lines[1:end])
    where = _Lines(front)
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        line_map: dict[tuple, int] = {}
        data = _walk(node, loader, path, (), line_map, where) if node else {}
    except yaml.MarkedYAMLError as error:
        raise _yaml_problem(path, error, where) from None
    except yaml.YAMLError as error:
        raise ContentError(
            path, f"front matter is not valid YAML: {error}", 2
        ) from None
    except RecursionError:
        raise ContentError(
            path, "front matter nested too deep: write plain 'field: value' lines", 2
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentError(
            path, "the front matter must be a list of 'field: value' lines", 2
        )
    body_lines = lines[end + 1 :]
    skipped = len(body_lines) - len("\n".join(body_lines).lstrip("\n").split("\n"))
    body = "\n".join(body_lines).strip("\n").rstrip()
    return ParsedFile(path, data, body, line_map, lines, end + 2 + skipped)


def _describe(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(path: Path, root: Path, shown: Path) -> bytes:
    """A content file's bytes, refusing what is not a regular file inside ``root``.

    ``shown`` is the name used in messages. The file is opened without blocking, so
    a named pipe swapped in after the check cannot make the loader wait forever.
    """
    limit = settings.CONTENT_MAX_BYTES
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ContentError(
            shown, "a link to a file that does not exist: remove it or fix it"
        ) from None
    if not real.is_relative_to(root.resolve()):
        raise ContentError(
            shown,
            f"a link to {real}, outside the content folder: content files must be "
            "inside it; copy the file in instead of linking to it",
        )
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM):
            problem = "cannot be read (permission denied): let the loader read it"
        else:
            problem = f"cannot be read ({error.strerror})"
        raise ContentError(shown, problem) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(
                shown,
                f"is {_describe(info.st_mode)}, not a regular file: only ordinary "
                "files are read; remove it from the content folder",
            )
        if info.st_size > limit:
            raise ContentError(
                shown,
                f"is {info.st_size:,} bytes, more than the {limit:,} allowed "
                "(NEUROINFO_CONTENT_MAX_BYTES): split it or shorten it",
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise ContentError(
            shown, f"is more than the {limit:,} bytes allowed: split it or shorten it"
        )
    return raw


def read_file(path: Path, root: Path | None = None, shown: Path | None = None):
    """Read and split one content file (inside ``root``, named ``shown``)."""
    shown = shown or path
    return parse_text(shown, read_bytes(path, root or path.parent, shown))


def format_file(data: dict[str, Any], body: str) -> str:
    """The canonical text of a content file: what export writes and load reads back."""
    front = yaml.safe_dump(
        data,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    text = f"{FENCE}\n{front}{FENCE}\n"
    return f"{text}\n{body}\n" if body else text
