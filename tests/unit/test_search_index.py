"""The search index builder and its Python query: text rules, encoding, recall."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.search import build_search_index, search_site
from generator.search.extract import extract_page, split_text
from generator.search.text import (
    Normaliser,
    decode_ids,
    encode_ids,
    fold_map,
    index_tokens,
    query_tokens,
    token_shard,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"


def page_html(title: str, sections: list[tuple[str, str]]) -> str:
    """A page in the shape Material builds: navigation outside, content in the article."""
    body = "".join(
        f'<h2 id="{anchor}">{anchor}<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a></h2><p>{text}</p>'
        if anchor
        else f"<p>{text}</p>"
        for anchor, text in sections
    )
    return (
        f"<!doctype html><html><head><title>{title} - 质量政策参考</title></head><body>"
        '<nav class="md-nav">导航 市场监管总局</nav><div class="md-content">'
        f'<article class="md-content__inner md-typeset"><h1 id="top">{title}</h1>{body}</article>'
        "</div><footer>页脚</footer></body></html>"
    )


def page_lines(title: str, sections: list[tuple[str, str]]) -> str:
    """What a reader sees in the article of page_html(title, sections), one block a line."""
    lines = [title]
    for anchor, text in sections:
        lines += [anchor, text] if anchor else [text]
    return "\n".join(lines)


def write_site(site: Path, pages: dict[str, str]) -> None:
    for url, html in pages.items():
        path = site / url / "index.html" if url.endswith("/") or not url else site / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")


def source_sentences() -> list[str]:
    sentences = []
    for path in sorted(SOURCES.glob("*.txt")):
        for sentence in re.split(r"[。；\n]", path.read_text(encoding="utf-8")):
            sentence = sentence.strip()
            if len(re.findall(r"[\u4e00-\u9fff]", sentence)) >= 8:
                sentences.append(sentence)
    return sentences


# --- text rules -------------------------------------------------------------


def test_squeeze_keeps_cjk_and_words_and_drops_punctuation():
    normaliser = Normaliser({})
    assert normaliser.squeeze("开展“质检利剑”行动。") == "开展质检利剑行动"
    assert normaliser.squeeze("GB/T 19001—2016 标准") == "gb t 19001 2016标准"
    assert normaliser.squeeze("２０１６红盾网剑（专项）") == "2016红盾网剑专项"


def test_index_tokens_are_bigrams_and_whole_words():
    assert index_tokens("2016红盾网剑") == {"2016", "红盾", "盾网", "网剑"}
    assert index_tokens("省 gb") == {"gb"}


def test_query_tokens_use_every_bigram_and_only_inner_words():
    assert query_tokens("质检利剑") == ["质检", "检利", "利剑"]
    # The edge words may be cut out of longer words on the page: not tokens.
    assert query_tokens("16红盾") == ["红盾"]
    assert query_tokens("a 2016 b") == ["2016"]
    assert query_tokens("gb t") == ["gb", "t"]
    assert query_tokens("省") == []


def test_traditional_folds_to_simplified_character_by_character():
    folds = fold_map("國家市場監督管理總局品質")
    normaliser = Normaliser(folds)
    assert normaliser.squeeze("國家市場監督管理總局") == "国家市场监督管理总局"
    assert normaliser.squeeze("国家市场监督管理总局") == "国家市场监督管理总局"
    assert "x" not in folds


# FNV-1a of each token's code points; tests/integration/test_search.py checks
# that search.js computes the same numbers.
PINNED_HASHES = {"质量": 1690120200, "检利": 2163699522, "2016": 3459013556, "\U00020000\U00020001": 35821114}


def test_token_shard_is_fnv1a_over_code_points():
    for token, value in PINNED_HASHES.items():
        assert token_shard(token, 2**32) == value
        assert token_shard(token, 64) == value % 64


@given(st.lists(st.integers(min_value=0, max_value=200_000), unique=True))
def test_id_encoding_round_trips(ids):
    ids = sorted(ids)
    assert decode_ids(encode_ids(ids)) == ids


def test_id_encoding_is_gaps_in_base36():
    assert encode_ids([0, 1, 2, 40]) == "1,1,1,12"


# --- extraction ---------------------------------------------------------------


def test_extract_takes_the_article_only_in_sections():
    page = extract_page(page_html("质检利剑", [("", "开展&ldquo;质检利剑&rdquo;行动"), ("职责", "质检总局负责")]))
    assert page.title == "质检利剑"
    assert [section.anchor for section in page.sections] == ["", "职责"]
    assert page.sections[0].text == "质检利剑\n开展“质检利剑”行动"
    assert page.sections[1].text == "职责\n质检总局负责"
    assert "导航" not in page.text and "页脚" not in page.text and "¶" not in page.text


def test_extract_skips_pages_without_article():
    assert extract_page("<html><body><p>redirect</p></body></html>") is None


def test_split_text_cuts_only_between_lines():
    lines = ["甲" * 40, "乙" * 40, "丙" * 40]
    assert split_text("\n".join(lines), 90) == ["\n".join(lines[:2]), lines[2]]
    assert split_text("丁" * 200, 90) == ["丁" * 200]


# --- the built index ------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A site of 300 pages made of real sentences of data/sources, plus pages with traps."""
    rng = random.Random(7)
    sentences = source_sentences()
    site = tmp_path_factory.mktemp("site")
    texts: dict[str, str] = {}
    pages: dict[str, str] = {}
    for number in range(300):
        chosen = rng.sample(sentences, rng.randint(1, 12))
        sections = [("", "".join(chosen[:3]))] + [(f"s{i}", sentence) for i, sentence in enumerate(chosen[3:])]
        url = f"plans/p{number:03d}/"
        pages[url] = page_html(f"文件{number}", sections)
        texts[url] = page_lines(f"文件{number}", sections)
    traps = {
        # The four characters apart: bigrams 质检 and 利剑 both present, 检利 not.
        "traps/apart/": [("", "质检部门开展专项行动，打击利剑所指的违法行为")],
        "traps/quoted/": [("", "深入开展“质检利剑”行动")],
        "traps/traditional/": [("", "國家市場監督管理總局負責品質強國建設")],
    }
    for url, sections in traps.items():
        pages[url] = page_html(url.split("/")[1], sections)
        texts[url] = page_lines(url.split("/")[1], sections)
    write_site(site, pages)
    (site / "404.html").write_text(page_html("404", [("", "质检利剑")]), encoding="utf-8")
    figures = build_search_index(site)
    return site, texts, figures


def test_build_reports_figures_of_what_it_wrote(corpus_site):
    site, texts, figures = corpus_site
    written = [p for p in (site / "search-index").rglob("*") if p.is_file()]
    written += [p for p in (site / "assets" / "search").rglob("*") if p.is_file()]
    assert figures["pages"] == len(texts)  # 404.html is not a page to find
    assert figures["files"] == len(written)
    assert figures["bytes"] == sum(p.stat().st_size for p in written)
    assert 0 < figures["gzip_bytes"] < figures["bytes"]
    meta = json.loads((site / "search-index" / "meta.json").read_text(encoding="utf-8"))
    assert len(list((site / "search-index" / "p").glob("*.json"))) == meta["shards"] == figures["shards"]
    assert len(decode_ids(meta["chunks"])) == figures["chunks"]
    assert (site / "assets" / "search" / "search.js").is_file()


def test_every_token_is_in_the_shard_its_hash_names(corpus_site):
    site, _, _ = corpus_site
    meta = json.loads((site / "search-index" / "meta.json").read_text(encoding="utf-8"))
    for path in (site / "search-index" / "p").glob("*.json"):
        shard = json.loads(path.read_text(encoding="utf-8"))
        assert all(token_shard(token, meta["shards"]) == int(path.stem) for token in shard)


def test_substring_is_verified_not_just_its_bigrams(corpus_site):
    site, _, _ = corpus_site
    found = search_site(site, "质检利剑").pages
    assert "traps/quoted/" in found
    assert "traps/apart/" not in found
    # Punctuation inside the name on the page does not hide it.
    assert "traps/quoted/" in search_site(site, "质检利剑行动").pages


def test_simplified_query_finds_traditional_page(corpus_site):
    site, _, _ = corpus_site
    assert "traps/traditional/" in search_site(site, "国家市场监督管理总局").pages
    assert "traps/traditional/" in search_site(site, "國家市場監督管理總局").pages


def test_recall_and_precision_against_a_scan_of_the_pages(corpus_site):
    """Any substring of a page's text finds the pages that contain it, and only those."""
    site, texts, _ = corpus_site
    normaliser = Normaliser(fold_map(set("".join(texts.values()))))
    squeezed = {url: normaliser.squeeze(text) for url, text in texts.items()}
    rng = random.Random(11)
    queries = set()
    for text in rng.sample(sorted(squeezed.values()), 40):
        for length in (2, 3, 4, 7):
            start = rng.randrange(0, max(1, len(text) - length))
            piece = text[start:start + length]
            if len(piece) == length and re.fullmatch(r"[\u4e00-\u9fff]+", piece):
                queries.add(piece)
    assert len(queries) > 60
    for query in sorted(queries):
        # The contract is a match inside one block (line): every such page is
        # found, and nothing is found that does not hold the query at all.
        anywhere = {url for url, text in squeezed.items() if query in text}
        in_a_line = {url for url in anywhere if any(query in normaliser.squeeze(line) for line in texts[url].split("\n"))}
        found = search_site(site, query).pages
        assert in_a_line <= found <= anywhere, query


def test_first_results_fetch_few_bytes_and_rank_title_hits_first(corpus_site):
    site, _, _ = corpus_site
    result = search_site(site, "文件12", limit=10)
    # "12" ends the query, so 文件120 … match too; the exact title ranks first.
    assert result.hits[0].url == "plans/p012/"
    assert result.first_files[0] == "meta.json"
    sizes = {
        name: len(gzip.compress((site / "search-index" / name).read_bytes(), 6, mtime=0))
        for name in result.first_files
    }
    assert result.first_gzip_bytes == sum(sizes.values())
    assert result.first_gzip_bytes < 300_000


def test_too_short_query_fetches_only_meta(corpus_site):
    site, _, _ = corpus_site
    result = search_site(site, "质")
    assert result.tokens == [] and result.hits == []
    assert result.first_files == ["meta.json"]
