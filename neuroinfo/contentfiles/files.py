"""Reading and writing one content file: YAML front matter, then a Markdown body."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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

    def line_of(self, *where: Any) -> int | None:
        """The line of a front-matter entry, e.g. ("criteria", 0, "key"), or its parent's."""
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return 2

    def error(self, message: str, *where: Any) -> ContentError:
        return ContentError(self.path, message, self.line_of(*where))


def _walk(node: yaml.Node, loader: yaml.SafeLoader, path: Path, at: tuple, lines: dict):
    """Build Python values from a YAML node, noting lines and refusing duplicate keys."""
    line = node.start_mark.line + 2  # +1 for 1-based, +1 for the opening fence
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key_line = key_node.start_mark.line + 2
            if not isinstance(key, str):
                raise ContentError(
                    path, f"field names must be text, not {key!r}", key_line
                )
            if key in result:
                raise ContentError(path, f"field '{key}' appears twice", key_line)
            lines[(*at, key)] = key_line
            result[key] = _walk(value_node, loader, path, (*at, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*at, index)] = item.start_mark.line + 2
            items.append(_walk(item, loader, path, (*at, index), lines))
        return items
    lines.setdefault(at, line)
    return loader.construct_object(node, deep=True)


def parse_text(path: Path, raw: bytes) -> ParsedFile:
    """Split a file into front matter and body, naming the line of any problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(path, "not valid UTF-8 text", line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            path, "the file must start with a '---' line (front matter)", 1
        )
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FENCE)
    except StopIteration:
        raise ContentError(
            path, "the front matter is not closed by a '---' line", 1
        ) from None
    front = "\n".join(lines[1:end])
    loader = yaml.SafeLoader(front)
    try:
        node = loader.get_single_node()
        line_map: dict[tuple, int] = {}
        data = _walk(node, loader, path, (), line_map) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        raise ContentError(
            path, f"front matter is not valid YAML: {error.problem}", line
        ) from None
    except yaml.YAMLError as error:
        raise ContentError(
            path, f"front matter is not valid YAML: {error}", 2
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentError(
            path, "the front matter must be a list of 'field: value' lines", 2
        )
    body = "\n".join(lines[end + 1 :]).strip("\n").rstrip()
    return ParsedFile(path, data, body, line_map)


def read_file(path: Path) -> ParsedFile:
    """Read and split one content file."""
    return parse_text(path, path.read_bytes())


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
