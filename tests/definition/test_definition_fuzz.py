"""Property tests: a mutated report.yaml gives a Report or a clean BuildError — nothing else.

The mutations are the ones editors make by accident: a field dropped, an item
duplicated, a value of the wrong type, stray Unicode pasted into the text, a
line cut in half. Every run must end quickly in one of the two outcomes, with
every problem placed in the file.
"""

from __future__ import annotations

import time
from typing import Any

import yaml
from definition_helpers import COMPLETE, complete_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_builder.definition import load_report_text
from report_builder.definition.model import Report
from report_builder.errors import BuildError

BASE: Any = yaml.safe_load(complete_text())
SLOW = 2.0  # seconds; a single load takes a few milliseconds

FUZZ = settings(
    max_examples=250,
    deadline=None,  # timed below, with a clearer message than hypothesis' deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["小五", "9pt", "-3mm", "1em", "../../etc/passwd", "/etc/passwd", "**"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key-or-index) in the document, in a stable order."""
    if isinstance(node, dict):
        for key in list(node):
            out.append((node, key))
            _slots(node[key], out)
    elif isinstance(node, list):
        for i in range(len(node)):
            out.append((node, i))
            _slots(node[i], out)
    return out


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _mutate(doc: Any, data: st.DataObject) -> Any:
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = slots[data.draw(st.integers(0, len(slots) - 1), label="slot")]
        action = data.draw(st.sampled_from(["drop", "duplicate", "retype", "unicode"]))
        if action == "drop":
            del container[key]
        elif action == "duplicate":
            if isinstance(container, list):
                container.insert(key, _copy(container[key]))
            else:
                container[f"{key}"[:1] + f"{key}"] = _copy(container[key])  # a misspelt twin
        elif action == "retype":
            container[key] = data.draw(values, label="value")
        else:
            old = container[key]
            text = old if isinstance(old, str) else str(old)
            at = data.draw(st.integers(0, len(text)), label="at")
            container[key] = text[:at] + data.draw(st.text(min_size=1, max_size=5)) + text[at:]
    return doc


def _check(text: str) -> None:
    t0 = time.perf_counter()
    try:
        report = load_report_text(text, COMPLETE)
    except BuildError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.pos.file == str(COMPLETE), d
            assert d.message and "Traceback" not in d.message
            assert d.format().startswith(str(COMPLETE))
    else:
        assert isinstance(report, Report)
    assert time.perf_counter() - t0 < SLOW


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@FUZZ
@given(st.data())
def test_structural_mutations(data: st.DataObject) -> None:
    doc = _mutate(_copy(BASE), data)
    _check(_dump(doc))


@FUZZ
@given(
    st.data(),
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list("\t\n :-[]{}&*!|>'\"#%@`,?")),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_text_mutations(data: st.DataObject, insert: str) -> None:
    text = complete_text()
    at = data.draw(st.integers(0, len(text)), label="insert at")
    cut = data.draw(st.integers(0, 40), label="cut")
    _check(text[:at] + insert + text[at + cut :])


def test_an_unmutated_dump_is_valid() -> None:
    """The mutation tests start from a valid document (or they would test nothing)."""
    report = load_report_text(_dump(_copy(BASE)), COMPLETE)
    assert report.edition.id == "hunan-unions-2023"
