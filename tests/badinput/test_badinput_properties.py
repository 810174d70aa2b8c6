"""Property: any mutation of the default report.yaml builds a valid PDF or fails cleanly.

The whole pipeline runs in-process (``report_builder.cli.build_pdf``) on the
default edition with fields dropped, items duplicated, values retyped and
Unicode pasted in. Each run must end, within a time limit, either in a PDF that
opens with every page, or in a BuildError whose every problem names the report
— never another exception, never a hang, never debris in out/.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from badinput_helpers import ROOT, leftovers
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from report_builder.cli import BuildResult, build_pdf
from report_builder.errors import BuildError

DEFAULT = ROOT / "report.yaml"
LIMIT = 30.0  # seconds for one build; a warm build of the default edition takes ~1 s

PROPERTY = settings(
    max_examples=30,
    deadline=None,  # a build is timed by LIMIT instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD_TEXT = st.sampled_from(
    ["\u200b", "𠮷", "e\u0301", "ＡＢ１", "Ελληνικά", "Русский", "😀", "\ue000", "**", "\u3000"]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["小五", "9pt", "-3mm", "0", "1em", "200%", "../../etc/passwd", "/etc/passwd"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


class Hang(Exception):
    """A build that ran past LIMIT."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"the build ran for more than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the default edition's photos and profiles, to write mutants into."""
    folder = tmp_path_factory.mktemp("default-edition")
    for sub in ("images", "icc"):
        if (ROOT / "assets" / sub).is_dir():
            shutil.copytree(ROOT / "assets" / sub, folder / "assets" / sub)
    return folder


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One output folder for every example, so photos are prepared once."""
    return tmp_path_factory.mktemp("out")


def _slots(node: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of the document, in document order."""
    if isinstance(node, dict):
        for key in list(node):
            found.append((node, key))
            _slots(node[key], found)
    elif isinstance(node, list):
        for i in range(len(node)):
            found.append((node, i))
            _slots(node[i], found)
    return found


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _pick(data: st.DataObject) -> Any:
    """A uniform chooser: hypothesis' integers favour small values, which would all but
    always hit the first fields (edition:, paper:) and never the pages."""
    return data.draw(st.randoms(use_true_random=False), label="picker")


def _break(doc: Any, data: st.DataObject) -> Any:
    """Drop, duplicate or retype fields: what a slip of the editor's hand does."""
    pick = _pick(data)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = slots[pick.randrange(len(slots))]
        action = data.draw(st.sampled_from(["drop", "duplicate", "retype"]), label="action")
        if action == "drop":
            del container[key]
        elif action == "duplicate":
            if isinstance(container, list):
                container.insert(key, _copy(container[key]))
            else:
                container[f"{key}"[:1] + f"{key}"] = _copy(container[key])  # a misspelt twin
        else:
            container[key] = data.draw(values, label="value")
    return doc


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and any("\u4e00" <= ch <= "\u9fff" for ch in value)


def _edit(doc: Any, data: st.DataObject, own: str) -> Any:
    """Edits that may well still build: paste characters into text, repeat a paragraph,
    move a block edge by a line or column — so layout, render and preflight run too."""
    pick = _pick(data)
    own_chars = st.sampled_from(sorted(own))
    chars = st.one_of(own_chars, own_chars, own_chars, ODD_TEXT, st.characters(codec="utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        slots = _slots(doc, [])
        action = data.draw(st.sampled_from(["paste", "repeat", "nudge"]), label="edit")
        if action == "paste":
            texts = [(c, k) for c, k in slots if _is_text(c[k])]
            container, key = texts[pick.randrange(len(texts))]
            text = container[key]
            at = pick.randrange(len(text) + 1)
            pasted = "".join(data.draw(st.lists(chars, min_size=1, max_size=6), label="paste"))
            container[key] = text[:at] + pasted + text[at:]
        elif action == "repeat":
            paras = [(c, k) for c, k in slots if isinstance(c, list) and _is_text(c[k])]
            container, key = paras[pick.randrange(len(paras))]
            container.insert(key, container[key])
        else:
            edges = [(c, k) for c, k in slots if k in ("column", "span", "line", "lines")]
            container, key = edges[pick.randrange(len(edges))]
            if isinstance(container[key], int):
                container[key] += data.draw(st.integers(-3, 3), label="by")
    return doc


def _build(folder: Path, out: Path, text: str) -> BuildResult | BuildError:
    report = folder / "report.yaml"
    report.write_text(text, encoding="utf-8")
    try:
        with time_limit(LIMIT):
            return build_pdf(report, out)
    except BuildError as exc:
        return exc


def _note(outcome: BuildResult | BuildError) -> None:
    """Tally outcomes for ``--hypothesis-show-statistics`` (how many mutants reach a PDF)."""
    if not currently_in_test_context():
        return
    if isinstance(outcome, BuildResult):
        event("PDF" + (" with warnings" if outcome.warnings else ""))
    elif any("is not in" in d.message or "invisible" in d.message for d in outcome.diagnostics):
        event("BuildError: a character no face has")
    else:
        event("BuildError: definition")


def _judge(outcome: BuildResult | BuildError, out: Path) -> None:
    _note(outcome)
    assert leftovers(out) == [], leftovers(out)
    if isinstance(outcome, BuildError):
        assert outcome.diagnostics, "a BuildError without a problem"
        for d in outcome.diagnostics:
            assert d.message, d
            assert "Traceback" not in d.message, d
            assert d.pos.file, d
        return
    with pikepdf.open(outcome.pdf) as doc:
        assert len(doc.pages) == outcome.pages >= 1


def test_the_default_edition_builds_in_process(edition: Path, out: Path) -> None:
    """The mutants start from a report that builds (or the property would test nothing)."""
    outcome = _build(edition, out, DEFAULT.read_text(encoding="utf-8"))
    assert isinstance(outcome, BuildResult), outcome
    _judge(outcome, out)


def _default_doc() -> Any:
    return yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@settings(PROPERTY, max_examples=20)
@given(st.data())
def test_broken_fields_fail_cleanly(edition: Path, out: Path, data: st.DataObject) -> None:
    _judge(_build(edition, out, _dump(_break(_default_doc(), data))), out)


@settings(PROPERTY, max_examples=30)
@given(st.data())
def test_edited_text_and_placement_build_or_fail_cleanly(
    edition: Path, out: Path, data: st.DataObject
) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    own = {ch for ch in text if not ch.isspace() and ch != "*"}
    _judge(_build(edition, out, _dump(_edit(_default_doc(), data, own))), out)


@settings(PROPERTY, max_examples=10)
@given(
    st.data(),
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"), st.sampled_from(list("\t\n :-[]{}&*!|>'\"#%@`,?"))
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_text_pasted_into_the_default_report_builds_or_fails_cleanly(
    edition: Path, out: Path, data: st.DataObject, pasted: str
) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    at = data.draw(st.integers(0, len(text)), label="paste at")
    _judge(_build(edition, out, text[:at] + pasted + text[at:]), out)
