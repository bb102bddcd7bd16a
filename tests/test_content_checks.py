"""The real library is complete, and a broken card is named by file and field."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.library.model import MAX_BODY, Library
from tests.conftest import CONTENT


def test_the_library_has_at_least_two_cards_per_topic(library: Library) -> None:
    assert len(library.cards) >= 24
    per_topic = Counter(card.topic for card in library.cards.values())
    assert {t.id for t in library.topics} == set(per_topic)
    assert min(per_topic.values()) >= 2
    required = {"gut-skin", "fibre", "fermented", "probiotics", "processed", "stress", "sleep",
                "children", "triggers", "seek-help"}
    assert required <= set(per_topic)


def test_every_card_cites_its_article_and_fits_a_screen(library: Library) -> None:
    for card in library.cards.values():
        assert card.sources, card.id
        assert len(card.body) <= MAX_BODY


def test_the_articles_facts_are_carried(library: Library) -> None:
    text = " ".join(c.body + " " + " ".join(s.detail for s in c.sources)
                    for c in library.cards.values()).lower()
    for fact in ["56", "241", "six", "2022", "70%", "short-chain fatty acids", "antibiotics",
                 "stress", "dairy", "gluten", "eggs", "breastfeeding", "solids", "scorad",
                 "plantarum", "reuteri", "rhamnosus", "bifidobacterium", "kefir", "sauerkraut",
                 "kimchi", "miso", "kombucha", "gp", "dermatologist"]:
        assert fact in text, fact


def test_the_probiotic_evidence_is_told_honestly(library: Library) -> None:
    """Plain words for 'statistically significant', what the 56-day trial measured, mixed
    evidence in children, and that one article comes from a company selling probiotics."""
    cards = library.cards
    for card in cards.values():
        if "significant" in card.body:
            assert "bigger than chance alone would likely give" in card.body, card.id
    assert "statistically significant" in cards["probiotics-2022-meta-analysis"].body
    assert "skin measurements" in cards["probiotics-56-day-trial"].body
    for card_id in ("probiotic-strains-for-children", "gut-skin-evidence-so-far",
                    "probiotics-what-are-they"):
        body = cards[card_id].body
        assert "2018 Cochrane review" in body and "little or no benefit" in body, card_id
        assert any(s.article.id == "cochrane-probiotics" for s in cards[card_id].sources)
    assert "sells probiotics" in library.sources["bioma"].publisher
    for card_id in ("probiotics-2022-meta-analysis", "probiotics-56-day-trial",
                    "gut-skin-evidence-so-far"):
        assert "Bioma" in cards[card_id].body and "sells probiotics" in cards[card_id].body


def test_figures_names_and_the_articles_are_written_as_the_review_asked(
    library: Library
) -> None:
    """'Most immune cells' keeps its 'about 70%'; the blog articles are 'the articles', not
    'the research'; the genus Bifidobacterium is in italics."""
    for card in library.cards.values():
        title = card.title.lower()
        if "immune" in title and ("most" in title or "70%" in title):
            assert "about 70%" in title, card.id
        assert not re.search(r"the research (mentions|says|shows)", card.body, re.I), card.id
        for match in re.finditer(r"Bifidobacteri[a-z]*", card.body):
            assert card.body[match.start() - 1] == "_", card.id
            assert match.group() in ("Bifidobacterium",), card.id
    assert library.cards["gut-holds-most-immune-cells"].title.startswith("About 70%")


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(copy))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return copy


def _edit(card: Path, old: str, new: str) -> None:
    text = card.read_text(encoding="utf-8")
    assert old in text
    card.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_content_passes_on_the_real_library(broken: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-content"]) == 0
    assert "content OK" in capsys.readouterr().out


def test_check_content_names_every_broken_file_and_field(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = sorted((broken / "cards").glob("*.md"))
    _edit(cards[0], "\ntitle:", "\nheading:")
    _edit(cards[1], "\ntopic:", "\ntopic: astrology\nold_topic:")
    dup = cards[2].read_text(encoding="utf-8").replace(f"id: {cards[2].stem}",
                                                       f"id: {cards[3].stem}")
    cards[2].write_text(dup, encoding="utf-8")
    with cards[4].open("a", encoding="utf-8") as f:
        f.write("\n" + "Far too long. " * 100)
    with cards[5].open("a", encoding="utf-8") as f:
        f.write("\nSome **bold that never ends.")
    assert main(["check-content"]) == 1
    err = capsys.readouterr().err
    assert f"cards/{cards[0].name}: title: is missing or empty" in err
    assert f"cards/{cards[1].name}: topic: unknown topic 'astrology'" in err
    assert f"cards/{cards[2].name}: id:" in err
    assert f"cards/{cards[4].name}: body:" in err and "fit one screen" in err
    assert f"cards/{cards[5].name}: body: unbalanced" in err


def test_a_broken_library_stops_the_start(broken: Path, capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE", str(tmp_path / "x.db"))
    (broken / "topics.yaml").write_text("topics: [oops", encoding="utf-8")
    assert main(["shell"]) == 1
    err = capsys.readouterr().err
    assert "topics.yaml: -: not valid YAML" in err
    assert "did not start" in err
    assert not (tmp_path / "x.db").exists()


def test_the_project_never_reads_shared_at_run_time() -> None:
    root = CONTENT.parent
    for path in list((root / "bot").rglob("*.py")) + list((root / "tests").rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        assert "../shared" not in path.read_text(encoding="utf-8"), path
