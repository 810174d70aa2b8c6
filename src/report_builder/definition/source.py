"""Reading report.yaml safely into a tree of nodes that remember where they came from.

PyYAML's event parser (safe, no object construction) feeds our own small
composer. Composing ourselves, instead of ``yaml.compose``, lets us keep every
key's and value's mark, refuse tags that would construct objects, count
aliases and the size their expansion would reach (billion laughs), limit
nesting without Python recursion, and report duplicate keys — all before a
single value is built.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ..errors import Diagnostic, SourcePos

#: libyaml's safe parser when PyYAML was built with it (20× faster), else pure Python; both
#: give the same marks, and messages are reworded the same way below.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # values in the document, counting every alias expansion
MAX_ALIASES = 100
MAX_DEPTH = 64

TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE = TAG + "merge"
_STR = TAG + "str"
_INT = TAG + "int"


class SourceError(Exception):
    """The file cannot be read as YAML at all: one diagnostic, nothing else to check."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass(eq=False)
class YScalar:
    """A scalar: ``value`` typed by the YAML core schema, ``text`` exactly as written."""

    value: object
    text: str
    tag: str
    pos: SourcePos
    index: int  # character offsets of the scalar in the source, to locate text inside it
    end: int = 0
    style: str | None = None
    size: int = 1

    kind = "text"


@dataclass(eq=False)
class YSeq:
    items: list[YNode]
    pos: SourcePos
    size: int = 1

    kind = "list"


@dataclass(eq=False)
class YMap:
    """A mapping; ``items`` maps each key to (position of the key, value)."""

    items: dict[str, tuple[SourcePos, YNode]]
    pos: SourcePos
    size: int = 1

    kind = "mapping"


YNode = YScalar | YSeq | YMap


@dataclass
class _Open:
    node: YSeq | YMap
    anchor: str | None
    path: str
    key: YNode | None = None  # mappings: the key waiting for its value
    key_pos: SourcePos | None = None
    merges: list[YMap] = field(default_factory=list)


def decode(data: bytes, file: str) -> str:
    """UTF-8 bytes to text; binary, UTF-16 and other encodings are refused with the byte."""
    skip = 0  # offsets are reported in the file as it is, BOM included
    if data.startswith(codecs.BOM_UTF8):
        skip = len(codecs.BOM_UTF8)
        data = data[skip:]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(
            Diagnostic(
                SourcePos(file, 1, 1),
                "the file is UTF-16 encoded; save it as UTF-8",
            )
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _line_col_of_byte(data, nul)
        raise SourceError(
            Diagnostic(
                SourcePos(file, line, col),
                f"this is a binary file, not YAML text (NUL byte at offset {nul + skip}); "
                "is it the right file?",
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(data, exc.start)
        hint = ""
        try:
            data.decode("gb18030")
            hint = " It looks like GBK/GB18030: re-save it as UTF-8."
        except UnicodeDecodeError:
            pass
        raise SourceError(
            Diagnostic(
                SourcePos(file, line, col),
                f"not UTF-8 text: byte 0x{data[exc.start]:02X} at offset {exc.start + skip} "
                f"(line {line}) cannot be decoded; report.yaml must be saved as UTF-8.{hint}",
            )
        ) from None


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def parse(text: str, file: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Compose the single YAML document in ``text`` (None when there is none).

    Also returns the problems that do not stop reading (duplicate keys and the
    like); a syntax error or a guard against abuse raises SourceError.
    """
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_BYTES:
        raise SourceError(
            Diagnostic(
                SourcePos(file),
                f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                "a report definition should be far smaller (put long texts in fewer pages?)",
            )
        )
    try:
        composer = _Composer(text, file)
        return composer.run(), composer.problems
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_syntax_diagnostic(exc, file, text)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        ch = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise SourceError(
            Diagnostic(
                SourcePos(file, line, col),
                f"character U+{ord(ch):04X} is not allowed in a YAML file "
                "(control characters must be removed)",
            )
        ) from None
    except yaml.YAMLError as exc:  # any other PyYAML complaint: still one clean line
        raise SourceError(Diagnostic(SourcePos(file), f"YAML error: {exc}")) from None


def _pos(file: str, mark: yaml.Mark | None) -> SourcePos:
    if mark is None:
        return SourcePos(file)
    return SourcePos(file, mark.line + 1, mark.column + 1)


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    """One readable line for a PyYAML/libyaml syntax error (both word them differently)."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    cm = exc.context_mark
    opened = f"line {cm.line + 1}, column {cm.column + 1}" if cm is not None else ""
    at_char = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    flow = re.search(r"',' or '(.)'", problem)
    if at_char == "\t" and "cannot start any token" in problem:
        message = "a tab character here; YAML indentation must use spaces, not tabs"
    elif "quoted scalar" in context and "end of stream" in problem:
        message = f"the file ends inside an unclosed quote (the quote opened at {opened})"
    elif problem.startswith("expected <block end>") or problem.startswith("did not find expected"):
        if flow:
            message = (
                f"expected ',' or '{flow.group(1)}' in the list or mapping opened at {opened}; "
                "does a value containing ':' or ',' need quotes?"
            )
        else:
            message = (
                "this line's indentation does not fit the lines above it; line up the "
                "fields of one mapping (or the items of one list) at the same column"
                + (f" ({context} at {opened})" if opened else "")
            )
    elif flow:
        message = (
            f"expected ',' or '{flow.group(1)}' in the list or mapping opened at {opened}; "
            "does a value containing ':' or ',' need quotes?"
        )
    elif problem.startswith("mapping values are not allowed"):
        message = (
            "unexpected ':' — is the indentation wrong, or does a value containing ': ' "
            "need quotes?"
        )
    else:
        message = problem + (f" ({context} at {opened})" if context and opened else "")
    return Diagnostic(_pos(file, mark), f"YAML syntax error: {message}")


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag
    return (
        f"unsupported YAML tag {shown}: report.yaml holds plain data only "
        "(text, numbers, lists and mappings)"
    )


def join_path(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _child_path(stack: list[_Open]) -> str:
    if not stack:
        return ""
    top = stack[-1]
    if isinstance(top.node, YSeq):
        return f"{top.path}[{len(top.node.items)}]"
    if isinstance(top.key, YScalar):
        return join_path(top.path, top.key.text)
    return top.path


class _Composer:
    """Builds YNodes from parser events with an explicit stack (no recursion)."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        self.anchors: dict[str, YNode] = {}
        self.open_anchors: set[str] = set()
        self.aliases = 0
        self.nodes = 0
        self.problems: list[Diagnostic] = []

    def fail(self, mark: yaml.Mark | None, message: str) -> SourceError:
        return SourceError(Diagnostic(_pos(self.file, mark), message))

    def run(self) -> YNode | None:
        stack: list[_Open] = []
        root: YNode | None = None
        documents = 0
        for event in yaml.parse(self.text, Loader=_LOADER):
            is_scalar = type(event) is ScalarEvent
            if is_scalar or isinstance(event, SequenceStartEvent | MappingStartEvent):
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise self.fail(
                        event.start_mark,
                        f"the document has more than {MAX_NODES} values; "
                        "a report definition should be far smaller",
                    )
            if is_scalar:
                node: YNode | None = self.scalar(event)
                if stack:
                    self.attach(stack[-1], node, event)
                else:
                    root = node
                continue
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(
                        event.start_mark,
                        "a second YAML document ('---') — report.yaml holds exactly one",
                    )
                continue
            node = None
            if isinstance(event, AliasEvent):
                node = self.alias(event)
            elif isinstance(event, SequenceStartEvent | MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event.start_mark, f"the document is nested more than {MAX_DEPTH} deep"
                    )
                self.check_tag(event, "seq" if isinstance(event, SequenceStartEvent) else "map")
                pos = _pos(self.file, event.start_mark)
                container: YSeq | YMap = (
                    YSeq([], pos) if isinstance(event, SequenceStartEvent) else YMap({}, pos)
                )
                if event.anchor:
                    self.open_anchors.add(event.anchor)
                stack.append(_Open(container, event.anchor, _child_path(stack)))
                continue
            elif isinstance(event, SequenceEndEvent | MappingEndEvent):
                top = stack.pop()
                node = top.node
                if isinstance(node, YMap):
                    self.apply_merges(top)
                    node.size = 1 + sum(v.size for _, v in node.items.values())
                else:
                    node.size = 1 + sum(v.size for v in node.items)
                if node.size > MAX_NODES:
                    raise SourceError(
                        Diagnostic(
                            node.pos,
                            f"the document expands to more than {MAX_NODES} values "
                            "(anchors and aliases repeating a large part?)",
                        )
                    )
                if top.anchor:
                    self.open_anchors.discard(top.anchor)
                    self.anchors[top.anchor] = node
            else:
                continue
            if not stack:
                root = node
            else:
                self.attach(stack[-1], node, event)
        return root

    def check_tag(self, event: yaml.Event, kind: str) -> None:
        tag = getattr(event, "tag", None)
        if tag in (None, "!", TAG + kind):
            return
        raise self.fail(event.start_mark, _tag_message(tag))

    def scalar(self, event: ScalarEvent) -> YScalar:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS and tag != _MERGE:
            raise self.fail(event.start_mark, _tag_message(tag))
        value: object = event.value
        text = event.value
        snode = ScalarNode(tag, text, event.start_mark, event.end_mark)
        try:
            if tag == _STR:
                pass
            elif tag == _INT and text.isascii() and text.isdigit() and text[:1] != "0":
                value = int(text)  # the common case, without PyYAML's general reader
            elif tag == _INT:
                value = self.constructor.construct_yaml_int(snode)
            elif tag == TAG + "float":
                value = self.constructor.construct_yaml_float(snode)
            elif tag == TAG + "bool":
                value = self.constructor.construct_yaml_bool(snode)
            elif tag == TAG + "null":
                value = None
        except (ValueError, ConstructorError):
            shown = text if len(text) <= 40 else text[:37] + "…"
            raise self.fail(
                event.start_mark, f"cannot read {shown!r} as {tag.rsplit(':', 1)[-1]}"
            ) from None
        node = YScalar(
            value,
            event.value,
            tag,
            _pos(self.file, event.start_mark),
            event.start_mark.index,
            event.end_mark.index,
            event.style,
        )
        if event.anchor:
            self.anchors[event.anchor] = node
        return node

    def alias(self, event: AliasEvent) -> YNode:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise self.fail(
                event.start_mark,
                f"more than {MAX_ALIASES} aliases (*name); report.yaml refuses more "
                "to guard against documents built to exhaust memory",
            )
        if event.anchor in self.open_anchors:
            raise self.fail(
                event.start_mark, f"alias *{event.anchor} refers to a value that contains itself"
            )
        if event.anchor not in self.anchors:
            raise self.fail(
                event.start_mark, f"alias *{event.anchor} names no anchor &{event.anchor}"
            )
        return self.anchors[event.anchor]

    def attach(self, parent: _Open, node: YNode, event: yaml.Event) -> None:
        if isinstance(parent.node, YSeq):
            parent.node.items.append(node)
            return
        if parent.key is None:
            parent.key = node
            parent.key_pos = node.pos
            return
        key, key_pos = parent.key, parent.key_pos
        parent.key = parent.key_pos = None
        assert key_pos is not None
        if not isinstance(key, YScalar):
            self.problems.append(
                Diagnostic(
                    key_pos, f"a field name must be plain text, not a {key.kind}", parent.path
                )
            )
            return
        if key.tag == _MERGE:
            merged = node.items if isinstance(node, YSeq) else [node]
            for m in merged:
                if not isinstance(m, YMap):
                    raise SourceError(
                        Diagnostic(key_pos, "'<<' merges mappings only (<<: *anchor)", parent.path)
                    )
            parent.merges.extend(merged)  # type: ignore[arg-type]
            return
        name = key.text
        if key.value is None and not name:
            self.problems.append(Diagnostic(key_pos, "empty field name", parent.path))
            return
        items = parent.node.items
        if name in items:
            first = items[name][0]
            self.problems.append(
                Diagnostic(
                    key_pos,
                    f"field '{name}' appears twice in this mapping "
                    f"(first at line {first.line}); keep one",
                    parent.path,
                )
            )
            return
        items[name] = (key_pos, node)

    @staticmethod
    def apply_merges(top: _Open) -> None:
        node = top.node
        assert isinstance(node, YMap)
        for merged in top.merges:
            for name, item in merged.items.items():
                node.items.setdefault(name, item)
