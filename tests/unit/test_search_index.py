"""The search index: records made from the data, the files built from them, the Python query.

The text rules themselves are pinned by search_conformance.json
(test_search_conformance.py); these tests cover what is indexed, how the
files are laid out, and what a query finds and in which order.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.load import load_corpus
from generator.search import SearchDocument, build_search_index, index_figures, search_documents, search_files
from generator.search.build import INDEX_DIR, PIECE_CHARS, split_text
from generator.search.text import Normaliser, decode_ids, encode_ids, fold_map, token_shard

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "data")


@pytest.fixture(scope="module")
def documents(corpus):
    return search_documents(corpus)


@pytest.fixture(scope="module")
def files(documents):
    return build_search_index(documents)


def source_sentences() -> list[str]:
    sentences = []
    for path in sorted(SOURCES.glob("*.txt")):
        for sentence in re.split(r"[。；\n]", path.read_text(encoding="utf-8")):
            sentence = sentence.strip()
            if len(re.findall(r"[\u4e00-\u9fff]", sentence)) >= 8:
                sentences.append(sentence)
    return sentences


def first_page(files, query: str) -> str:
    result = search_files(files, query, limit=10)
    assert result.hits, query
    return result.hits[0].page


# --- the records, from the data ------------------------------------------------------


def test_every_data_page_has_one_record(corpus, documents):
    assert sorted(document.url for document in documents) == sorted(urls.page_paths(corpus))


def test_a_measure_record_names_its_document_and_region(corpus, documents):
    by_url = {document.url: document for document in documents}
    measure = by_url[urls.measure_path("guobanfa-2016-18/06")]
    assert measure.kind == "measure"
    assert "贯彻实施质量发展纲要2016年行动计划" in measure.context and "国办发〔2016〕18号" in measure.context
    assert "全国" in measure.context
    local = next(plan for plan in corpus.plans if plan.region)
    record = by_url[urls.measure_path(local.measures[0].id)]
    assert local.region in record.context and local.title in record.context


def test_every_character_of_a_measure_reaches_its_record(corpus, documents):
    """Fidelity: the text as printed, its Simplified form and the responsibility line, all searchable."""
    by_url = {document.url: document for document in documents}
    for plan in corpus.plans:
        for measure in plan.measures:
            text = by_url[urls.measure_path(measure.id)].text
            for block in (measure.text, measure.text_simplified, measure.heading, measure.responsibility):
                assert not block or block in text, (measure.id, block[:30])


def test_boilerplate_is_not_indexed(documents):
    # Alignment notes, scores and the sentences a campaign page quotes from
    # measures (which have their own records) are not part of any record.
    for document in documents:
        assert "自动计算" not in document.text and "得分" not in document.text, document.url
    campaign = next(document for document in documents if document.url == urls.campaign_path("zhijian-lijian"))
    assert "质检利剑" in campaign.text and len(campaign.text) < 200


def test_names_rank_with_the_title(documents):
    plan = next(document for document in documents if document.url == urls.plan_path("guobanfa-2016-18"))
    assert "国办发〔2016〕18号" in plan.names
    agency = next(document for document in documents if document.url == urls.agency_path("zhijianzongju"))
    assert agency.title == "质检总局" and "国家质量监督检验检疫总局" in agency.names


# --- the files ---------------------------------------------------------------------------


def test_the_files_are_the_index_and_the_script(files):
    assert f"{INDEX_DIR}/meta.json" in files and "assets/search/search.js" in files
    assert {name for name in files if not name.startswith(INDEX_DIR + "/")} == {
        "assets/search/search.js", "assets/search/search.css"}
    figures = index_figures(files)
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    assert figures["files"] == len(files)
    assert figures["bytes"] == sum(len(data) for data in files.values())
    assert 0 < figures["gzip_bytes"] < figures["bytes"]
    assert len([name for name in files if name.startswith(f"{INDEX_DIR}/p/")]) == meta["shards"] == figures["shards"]
    assert len([name for name in files if name.startswith(f"{INDEX_DIR}/s/")]) == figures["chunks"]


def test_the_build_is_deterministic(documents, files):
    assert build_search_index(documents) == files


def test_every_token_is_in_the_shard_its_hash_names(files):
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    for name, data in files.items():
        if name.startswith(f"{INDEX_DIR}/p/"):
            number = int(name.rsplit("/", 1)[1].removesuffix(".json"))
            assert all(token_shard(token, meta["shards"]) == number for token in json.loads(data))


def test_the_fold_table_lets_traditional_input_meet_the_corpus(files):
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    folds = dict(zip(meta["fold"][0], meta["fold"][1]))
    assert folds["劍"] == "剑" and folds["質"] == "质"
    # Small: only characters that can meet the corpus.
    assert len(folds) < 4000


def test_split_text_cuts_only_between_lines():
    lines = ["甲" * 40, "乙" * 40, "丙" * 40]
    assert split_text("\n".join(lines), 90) == ["\n".join(lines[:2]), lines[2]]
    assert split_text("丁" * 200, 90) == ["丁" * 200]


@given(st.lists(st.integers(min_value=0, max_value=200_000), unique=True))
def test_id_encoding_round_trips(ids):
    ids = sorted(ids)
    assert decode_ids(encode_ids(ids)) == ids


# --- queries on the real data -----------------------------------------------------------


@pytest.mark.parametrize("query", ["国办发〔2016〕18号", "18号", "国办发2016 18", "国办发（2016）18号"])
def test_a_document_number_lands_on_its_document_first(files, query):
    assert first_page(files, query) == urls.plan_path("guobanfa-2016-18")


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("质检利剑", urls.campaign_path("zhijian-lijian")),
        ("質檢利劍", urls.campaign_path("zhijian-lijian")),
        ("质检总局", urls.agency_path("zhijianzongju")),
        ("国家质量监督检验检疫总局", urls.agency_path("zhijianzongju")),
        ("市场监管总局", urls.agency_path("shichangjianguanzongju")),
        ("质量强国建设纲要", urls.plan_path("zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao")),
        ("品質強國建設綱要", urls.plan_path("zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao")),
        ("贯彻实施质量发展纲要2016年行动计划", urls.plan_path("guobanfa-2016-18")),
    ],
)
def test_a_title_or_name_lands_on_its_page_first(files, query, page):
    assert first_page(files, query) == page


def test_results_carry_document_and_region(files):
    hits = search_files(files, "质检利剑").hits
    measures = [hit for hit in hits if hit.context.startswith("措施")]
    assert len(measures) >= 3
    assert all("《" in hit.context and "》" in hit.context for hit in measures)
    assert {"全国", "安徽省", "重庆市"} <= {hit.context.rsplit(" · ", 1)[1] for hit in measures}
    # The national measure comes before the local ones that name the same campaign.
    assert measures[0].context.endswith("全国")


def test_every_agency_and_campaign_name_finds_its_page_and_every_measure_naming_it(corpus, files):
    """Recall against a scan of the data."""
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    normaliser = Normaliser(dict(zip(meta["fold"][0], meta["fold"][1])))
    named = [(name, urls.agency_path(agency.id)) for agency in corpus.agencies
             for name in (agency.name, agency.full_name, *agency.aliases)]
    named += [(name, urls.campaign_path(campaign.id)) for campaign in corpus.campaigns
              for name in (campaign.name, *campaign.variants)]
    checked = mentions = 0
    for name, own_page in named:
        wanted = normaliser.squeeze(name)
        if len(re.findall(r"[\u4e00-\u9fff]", wanted)) < 2:
            continue
        expected = {own_page}
        for plan in corpus.plans:
            for measure in plan.measures:
                blocks = [measure.heading, measure.heading_simplified, measure.responsibility,
                          *(measure.text_simplified or "").split("\n"), *measure.text.split("\n")]
                if any(block and wanted in normaliser.squeeze(block) for block in blocks):
                    expected.add(urls.measure_path(measure.id))
        found = search_files(files, name).pages
        assert expected <= found, (name, sorted(expected - found))
        checked += 1
        mentions += len(expected) - 1
    assert checked > 50 and mentions > 100


def test_first_results_fetch_few_bytes(files):
    for query in ("质检利剑", "质量强国", "市场监管总局", "质量"):
        result = search_files(files, query, limit=10)
        assert result.first_files[0] == "meta.json"
        sizes = [len(gzip.compress(files[f"{INDEX_DIR}/{name}"], 6, mtime=0)) for name in result.first_files]
        assert result.first_gzip_bytes == sum(sizes) < 300_000, query


def test_too_short_query_fetches_only_meta(files):
    result = search_files(files, "质")
    assert result.tokens == [] and result.hits == []
    assert result.first_files == ["meta.json"]


# --- queries on made-up records: verification, recall, long texts ---------------------


@pytest.fixture(scope="module")
def made_up():
    rng = random.Random(7)
    sentences = source_sentences()
    documents = [
        SearchDocument(url=f"p{number:03d}/", title=f"文件{number}", context="测试", kind="measure",
                       text="\n".join(rng.sample(sentences, rng.randint(1, 12))))
        for number in range(300)
    ]
    documents += [
        # The four characters apart: bigrams 质检 and 利剑 both present, 检利 not.
        SearchDocument(url="apart/", title="甲", context="", kind="measure", text="质检部门开展专项行动，打击利剑所指的违法行为"),
        SearchDocument(url="quoted/", title="乙", context="", kind="measure", text="深入开展“质检利剑”行动"),
        SearchDocument(url="traditional/", title="丙", context="", kind="measure", text="國家市場監督管理總局負責品質強國建設"),
        SearchDocument(url="long/", title="丁", context="", kind="plan", boost=5,
                       text="\n".join(["前言" * 400] * 3 + ["末尾写着春雷行动"])),
    ]
    return documents, build_search_index(documents)


def test_substring_is_verified_not_just_its_bigrams(made_up):
    _, files = made_up
    found = search_files(files, "质检利剑").pages
    assert "quoted/" in found and "apart/" not in found
    assert "quoted/" in search_files(files, "质检利剑行动").pages


def test_either_script_finds_a_traditional_record(made_up):
    _, files = made_up
    assert "traditional/" in search_files(files, "国家市场监督管理总局").pages
    assert "traditional/" in search_files(files, "國家市場監督管理總局").pages


def test_a_long_text_is_found_in_its_last_piece_and_listed_once(made_up):
    documents, files = made_up
    assert len(split_text(documents[-1].text, PIECE_CHARS)) > 1
    result = search_files(files, "春雷行动")
    assert result.urls == ["long/"]
    assert [hit.page for hit in search_files(files, "前言前言").hits].count("long/") == 1


def test_recall_and_precision_against_a_scan_of_the_records(made_up):
    """Any substring of a record's text finds the records holding it, and only those."""
    documents, files = made_up
    normaliser = Normaliser(fold_map(set("".join(document.text for document in documents))))
    squeezed = {document.url: normaliser.squeeze(document.text) for document in documents}
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
        expected = {url for url, text in squeezed.items() if query in text}
        assert search_files(files, query).pages == expected, query


def test_a_title_hit_ranks_before_text_hits(made_up):
    _, files = made_up
    result = search_files(files, "文件12", limit=10)
    # "12" ends the query, so 文件120 … match too; the exact title ranks first.
    assert result.hits[0].url == "p012/"
    assert all(hit.title_hit for hit in result.hits)
