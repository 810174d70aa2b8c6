"""The seed extract (湖南工会这5年) cleaned: every piece of the source once, no artefacts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from importtext_helpers import ROOT, SEED, leftover, sentences

from report_builder.importtext.cli import main
from report_builder.importtext.doubling import undouble

SLOGAN = "网聚职工正能量 争做中国好网民"
# What the source holds twice over for an outline effect: the second copy of the
# flag 这五年, the first copy of the doubled caption and its doubled 。.
DOUBLED_COPIES = "这五年" + "我省重点建设项目劳动竞赛动员会现场" + "。"
CAPTIONS = [
    "我省重点建设项目劳动竞赛动员会现场。",
    "提高工资集体协商建制率，我省举办集体协商竞赛现场。",
    "吸引新就业形态劳动者集体入会。",
    "2022年，省总工会、省网信办联合主办的“网聚职工正能量 争做中国好网民”活动启动。",
    "2021年，省总工会举办“庆祝中国共产党成立100周年”百万职工同声唱活动。",
    "2022年9月2日，首届大国工匠论坛在长沙隆重举行。",
    "2022年，湖南百万职工同声唱总展演现场。",
    "2021年，省总工会、湖南税务局联合主办新就业形态劳动者“工会+社保”行动。",
    "2020年全省百万职工技能大比武中，住建行业竞赛启动式。",
]


def _units(blocks: list[dict]) -> list[str]:
    """Every text of the draft, in block order."""
    out: list[str] = []
    for b in blocks:
        out += [b[k] for k in ("main", "deck", "byline", "caption") if isinstance(b.get(k), str)]
        for p in b.get("paragraphs", []):
            out.append(p if isinstance(p, str) else next(iter(p.values())))
    return out


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("seed") / "draft.yaml"
    assert main([str(SEED), "--output", str(out)]) == 0
    return yaml.safe_load(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units(draft: dict) -> list[str]:
    return _units(draft["pages"][0]["blocks"])


def check_every_piece_once(units: list[str]) -> None:
    source = SEED.read_text(encoding="utf-8")
    assert leftover(source, units) == DOUBLED_COPIES
    joined = "\n".join(re.sub(r"\s+", "", u) for u in units)
    flat_source = re.sub(r"\s+", "", source)
    for sentence in {s for u in units for s in sentences(u)}:
        assert joined.count(sentence) == 1 or joined.count(sentence) == flat_source.count(
            sentence
        ), sentence


def check_no_artefacts(units: list[str]) -> None:
    for u in units:
        for m in re.finditer(r"(.) (.)", u):
            context = u[max(0, m.start() - 7) : m.end() + 7]
            latin = m.group(1).isascii() and m.group(2).isascii()
            assert latin or SLOGAN in context or u == "彭雅惠 廖为", context
        assert undouble(u) == u, u
        assert "。。" not in u
    assert sum(u.count(SLOGAN) for u in units) == 3  # box item, article, caption
    assert not any(re.search(r"\d\s+[个万名人年月日]", u) for u in units)


def test_every_piece_of_the_source_once(units: list[str]) -> None:
    check_every_piece_once(units)


def test_no_artefact_spacing_or_doubling(units: list[str]) -> None:
    check_no_artefacts(units)
    assert "奖状699个、奖章4135个，工人先锋号" in "".join(units)
    assert "首次为“工匠”举办全国性论坛。" in "".join(units)


def test_parts_recognised(draft: dict) -> None:
    blocks = draft["pages"][0]["blocks"]
    head = blocks[0]
    assert (head["type"], head["main"]) == ("headline", "湖南工会这5年")
    assert head["deck"] == "——庆祝湖南省工会第十七次代表大会胜利召开"
    assert [b["byline"] for b in blocks if "byline" in b] == ["彭雅惠 廖为"]
    assert [b["caption"] for b in blocks if b["type"] == "figure"] == CAPTIONS
    assert blocks[-2]["paragraphs"] == ["本版图片均由省总工会提供"]
    subheads = [p["subhead"] for b in blocks for p in b.get("paragraphs", []) if "subhead" in p]
    assert subheads == ["5.工会改革", "1.思想引领", "2.建功立业", "3.权益保障", "4.服务职工"]
    items = [p["item"] for b in blocks for p in b.get("paragraphs", []) if "item" in p]
    assert len(items) == 18 and all(i.startswith("◆") for i in items)
    assert "◆2021年以来，共慰问新就业形态劳动者13.96万余人次、发放款物5200余万元。" in items


CLEANED = ROOT / "content" / "hunan-unions-2023.cleaned.md"


def cleaned_units(path: Path) -> list[str]:
    """The text lines of the cleaned file: headings, notes and blank lines left out."""
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_cleaned_file_holds_every_piece_once() -> None:
    units = cleaned_units(CLEANED)
    check_every_piece_once(units)
    check_no_artefacts(units)
    assert Counter(units)["本版图片均由省总工会提供"] == 1


def test_draft_loads_once_placed(draft: dict) -> None:
    """Given placements (one block a page), the draft is a valid report definition."""
    from report_builder.definition.load import load_report_text

    placed = dict(draft)
    placed["pages"] = [
        {
            "number": n,
            "name": f"p{n}",
            "blocks": [{**block, "at": {"column": 1, "span": 8, "line": 1, "lines": 90}}],
        }
        for n, block in enumerate(draft["pages"][0]["blocks"], 1)
    ]
    report = load_report_text(yaml.safe_dump(placed, allow_unicode=True), ROOT / "draft.yaml")
    assert len(report.pages) == len(draft["pages"][0]["blocks"]) == 17


def test_committed_draft_is_current(tmp_path: Path) -> None:
    """content/…draft.yaml is what `invoke import-text` makes of the seed today."""
    out = tmp_path / "draft.yaml"
    assert main([str(SEED), "--output", str(out)]) == 0
    committed = ROOT / "content" / "hunan-unions-2023.draft.yaml"
    assert out.read_bytes() == committed.read_bytes(), "run: invoke import-text " + (
        "content/hunan-unions-2023.extracted.txt --output content/hunan-unions-2023.draft.yaml"
    )
