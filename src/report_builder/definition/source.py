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
from collections.abc import Callable
from typing import Protocol

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


class Mark(Protocol):
    """A place in the text as PyYAML's parsers give it (0-based line and column)."""

    line: int
    column: int
    index: int


def at(file: str, mark: Mark) -> SourcePos:
    """The 1-based place that messages show for a parser mark."""
    return SourcePos(file, mark.line + 1, mark.column + 1)


class _Placed:
    """A node's place: kept as the parser's mark, made a SourcePos only when asked for.

    Most values never need theirs (field names, numbers …): not making ten thousand
    SourcePos objects that nobody reads is a fifth of the time of reading a large file.
    """

    __slots__ = ("_pos", "file", "mark")
    _pos: SourcePos | None
    file: str
    mark: Mark | None

    @property
    def pos(self) -> SourcePos:
        pos = self._pos
        if pos is None:
            assert self.mark is not None
            pos = self._pos = at(self.file, self.mark)
        return pos


class YScalar(_Placed):
    """A scalar: ``value`` typed by the YAML core schema, ``text`` exactly as written."""

    # plain classes with __slots__: one is made per value of the file (a dataclass
    # cost 0.3 ms to create at import and more per instance)
    __slots__ = ("end", "index", "tag", "text", "value")
    kind = "text"
    size = 1  # values in the document, counting alias expansions (see YSeq, YMap)

    def __init__(
        self,
        value: object,
        text: str,
        tag: str,
        pos: SourcePos | None,  # None: made from ``mark`` in ``file`` when first asked for
        index: int,  # character offsets of the scalar in the source, to locate text inside it
        end: int = 0,
        mark: Mark | None = None,
        file: str = "",
    ) -> None:
        self.value = value
        self.text = text
        self.tag = tag
        self._pos = pos
        self.index = index
        self.end = end
        self.mark = mark
        self.file = file


class YSeq(_Placed):
    __slots__ = ("items", "size")
    kind = "list"

    def __init__(
        self, items: list[YNode], pos: SourcePos | None, mark: Mark | None = None, file: str = ""
    ) -> None:
        self.items = items
        self._pos = pos
        self.mark = mark
        self.file = file
        self.size = 1


class YMap(_Placed):
    """A mapping; ``items`` maps each key to (the parser's mark of the key, value)."""

    __slots__ = ("items", "size")
    kind = "mapping"

    def __init__(
        self,
        items: dict[str, tuple[Mark, YNode]],
        pos: SourcePos | None,
        mark: Mark | None = None,
        file: str = "",
    ) -> None:
        self.items = items
        self._pos = pos
        self.mark = mark
        self.file = file
        self.size = 1

    def key_pos(self, name: str) -> SourcePos:
        """Where the field name ``name`` is written."""
        return at(self.file, self.items[name][0])


YNode = YScalar | YSeq | YMap


class _Open:
    """A sequence or mapping whose end event has not come yet."""

    __slots__ = ("anchor", "key", "key_mark", "merges", "node")

    def __init__(self, node: YSeq | YMap, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.key: YNode | str | None = None  # mappings: the key waiting for its value
        self.key_mark: Mark | None = None
        self.merges: list[YMap] = []


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
    # a character takes at most 4 bytes in UTF-8: most files need no encoding to be measured
    if len(text) * 4 > MAX_BYTES and len(text.encode("utf-8", errors="surrogatepass")) > MAX_BYTES:
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


def _path(stack: list[_Open], depth: int) -> str:
    """The field path of ``stack[depth]``, e.g. ``pages[0].blocks[2]``, for messages.

    Built only when a message needs it: the open containers above it still hold the
    state they had when it opened (the key it is the value of, or its list index).
    """
    path = ""
    for parent in stack[:depth]:
        if isinstance(parent.node, YSeq):
            path = f"{path}[{len(parent.node.items)}]"
        elif isinstance(parent.key, str):
            path = join_path(path, parent.key)
        elif isinstance(parent.key, YScalar):
            path = join_path(path, parent.key.text)
    return path


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
        self.problems: list[Diagnostic] = []
        self.plain: dict[str, tuple[str, object]] = {}  # plain scalar → tag, value (they repeat)

    def fail(self, mark: yaml.Mark | None, message: str) -> SourceError:
        return SourceError(Diagnostic(_pos(self.file, mark), message))

    def run(self) -> YNode | None:
        """Compose the events; the loop is written flat because it runs once per value."""
        parser = _LOADER(self.text)
        try:
            return self._compose(parser.get_event)
        finally:
            parser.dispose()

    def _compose(self, next_event: Callable[[], yaml.Event | None]) -> YNode | None:
        file = self.file
        typed_starts = self.resolver.yaml_implicit_resolvers  # first characters of ints …
        plain = self.plain
        stack: list[_Open] = []
        root: YNode | None = None
        documents = 0
        nodes = 0
        while True:
            event = next_event()
            if event is None:
                return root
            kind = event.__class__
            node: YNode
            if kind is ScalarEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    raise self._too_many(event)
                text = event.value
                tag = event.tag
                value: object = text
                if tag is None or tag == "!":
                    if not event.implicit[0] or (text and text[0] not in typed_starts):
                        tag = _STR  # quoted, or no implicit type starts so: most values
                    else:  # plain, and perhaps a number, true, null …: by the core schema
                        tag, value = plain.get(text) or self.plain_scalar(event, text)
                elif tag != _STR:
                    value = self.typed_value(event, tag, text)
                mark = event.start_mark
                if (tag is _STR or tag == _STR) and stack and not event.anchor:
                    parent = stack[-1]
                    if parent.key is None and parent.node.__class__ is YMap:
                        # a field name: only its text and place are kept, no node made
                        parent.key = text
                        parent.key_mark = mark
                        continue
                node = YScalar(value, text, tag, None, mark.index, event.end_mark.index, mark, file)
                if event.anchor:
                    self.anchors[event.anchor] = node
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    raise self._too_many(event)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event.start_mark, f"the document is nested more than {MAX_DEPTH} deep"
                    )
                is_seq = kind is SequenceStartEvent
                self.check_tag(event, "seq" if is_seq else "map")
                mark = event.start_mark
                if event.anchor:
                    self.open_anchors.add(event.anchor)
                container = YSeq([], None, mark, file) if is_seq else YMap({}, None, mark, file)
                stack.append(_Open(container, event.anchor))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                top = stack.pop()
                node = top.node
                if top.merges:
                    self.apply_merges(top)
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
            elif kind is AliasEvent:
                node = self.alias(event)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(
                        event.start_mark,
                        "a second YAML document ('---') — report.yaml holds exactly one",
                    )
                continue
            else:
                continue
            # attach the finished node to the open container, if any
            if not stack:
                root = node
                continue
            parent = stack[-1]
            container = parent.node
            if container.__class__ is YSeq:
                container.items.append(node)  # type: ignore[arg-type]
                container.size += node.size  # a container's size counts alias expansions
            elif parent.key is None:
                parent.key = node
                parent.key_mark = node.mark
            elif parent.key.__class__ is str and parent.key not in container.items:
                # a plain field name met once: stored here, the rest in attach_value
                container.items[parent.key] = (parent.key_mark, node)  # type: ignore[index]
                container.size += node.size
                parent.key = parent.key_mark = None
            else:
                self.attach_value(stack, parent, node)

    def _too_many(self, event: yaml.Event) -> SourceError:
        return self.fail(
            event.start_mark,
            f"the document has more than {MAX_NODES} values; "
            "a report definition should be far smaller",
        )

    def check_tag(self, event: yaml.Event, kind: str) -> None:
        tag = getattr(event, "tag", None)
        if tag in (None, "!", TAG + kind):
            return
        raise self.fail(event.start_mark, _tag_message(tag))

    def plain_scalar(self, event: ScalarEvent, text: str) -> tuple[str, object]:
        """Tag and value of a plain scalar, remembered for the next one written the same."""
        tag = self.resolver.resolve(ScalarNode, text, event.implicit)
        found = self.plain[text] = (
            tag,
            text if tag == _STR else self.typed_value(event, tag, text),
        )
        return found

    def typed_value(self, event: ScalarEvent, tag: str, text: str) -> object:
        """The value of a scalar that is not a string, by the YAML core schema."""
        if tag not in _SCALAR_TAGS and tag != _MERGE:
            raise self.fail(event.start_mark, _tag_message(tag))
        if tag == _INT and text.isascii() and text.isdigit() and text[:1] != "0":
            return int(text)  # the common case, without PyYAML's general reader
        snode = ScalarNode(tag, text, event.start_mark, event.end_mark)
        try:
            if tag == _INT:
                return self.constructor.construct_yaml_int(snode)
            if tag == TAG + "float":
                return self.constructor.construct_yaml_float(snode)
            if tag == TAG + "bool":
                return self.constructor.construct_yaml_bool(snode)
            if tag == TAG + "null":
                return None
        except (ValueError, ConstructorError):
            shown = text if len(text) <= 40 else text[:37] + "…"
            raise self.fail(
                event.start_mark, f"cannot read {shown!r} as {tag.rsplit(':', 1)[-1]}"
            ) from None
        return text

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

    def attach_value(self, stack: list[_Open], parent: _Open, node: YNode) -> None:
        """Store ``node`` as the value of the key that ``parent`` (a mapping) waits on."""
        key, key_mark = parent.key, parent.key_mark
        parent.key = parent.key_mark = None
        assert key_mark is not None and isinstance(parent.node, YMap)
        if isinstance(key, str):  # plain text: the common case
            name = key
        else:
            name = self.key_name(stack, parent, key, key_mark, node)
            if name is None:
                return
        items = parent.node.items
        if name in items:
            first = items[name][0]
            self.problems.append(
                Diagnostic(
                    at(self.file, key_mark),
                    f"field '{name}' appears twice in this mapping "
                    f"(first at line {first.line + 1}); keep one",
                    _path(stack, len(stack) - 1),
                )
            )
            return
        items[name] = (key_mark, node)
        parent.node.size += node.size

    def key_name(
        self, stack: list[_Open], parent: _Open, key: YNode | None, key_mark: Mark, node: YNode
    ) -> str | None:
        """The field name a key node gives, or None when it gives none (merge, problem)."""
        key_pos = at(self.file, key_mark)
        if not isinstance(key, YScalar):
            assert key is not None
            self.problems.append(
                Diagnostic(
                    key_pos,
                    f"a field name must be plain text, not a {key.kind}",
                    _path(stack, len(stack) - 1),
                )
            )
            return None
        if key.tag == _MERGE:
            merged = node.items if isinstance(node, YSeq) else [node]
            for m in merged:
                if not isinstance(m, YMap):
                    raise SourceError(
                        Diagnostic(
                            key_pos,
                            "'<<' merges mappings only (<<: *anchor)",
                            _path(stack, len(stack) - 1),
                        )
                    )
            parent.merges.extend(merged)  # type: ignore[arg-type]
            return None
        if key.value is None and not key.text:
            self.problems.append(
                Diagnostic(key_pos, "empty field name", _path(stack, len(stack) - 1))
            )
            return None
        return key.text

    @staticmethod
    def apply_merges(top: _Open) -> None:
        node = top.node
        assert isinstance(node, YMap)
        for merged in top.merges:
            for name, item in merged.items.items():
                if name not in node.items:
                    node.items[name] = item
                    node.size += item[1].size
