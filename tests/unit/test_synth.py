"""The synthetic corpus: loads like real data, holds exactly N measures, is reproducible."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.load import load_corpus

ROOT = Path(__file__).resolve().parents[2]
# The benchmark tools live beside the benchmark, not in the product package.
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import (  # noqa: E402
    MARKER,
    read_sentence_pool,
    split_sentences,
    synthesize,
    write_synthetic_corpus,
)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "data"
    assert write_synthetic_corpus(600, out, seed=3) == 0
    return out


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


@pytest.fixture(scope="module")
def pool():
    return read_sentence_pool(ROOT / "data")


def test_loads_with_exactly_the_requested_measures(corpus):
    assert sum(len(plan.measures) for plan in corpus.plans) == 600
    assert all(10 <= len(plan.measures) <= 40 for plan in corpus.plans)


@pytest.mark.parametrize("measures", [1, 9, 41, 55, 131])
def test_counts_match_for_awkward_sizes(measures, pool):
    from generator.load import plan_from_dict
    import yaml

    files = synthesize(measures, pool, seed=1)
    plans = [plan_from_dict(yaml.safe_load(content)) for name, content in files.items() if name.startswith("plans/")]
    assert sum(len(plan.measures) for plan in plans) == measures


def test_passes_check(corpus_dir):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(corpus_dir), "check"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "600 measures" in result.stdout


def test_same_seed_same_bytes_other_seed_other_corpus(pool):
    first = synthesize(300, pool, seed=7)
    assert synthesize(300, pool, seed=7) == first
    assert synthesize(300, pool, seed=8) != first


def test_written_folder_is_byte_identical_for_a_seed(tmp_path):
    def digest(folder: Path) -> dict[str, str]:
        return {
            str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()
        }

    write_synthetic_corpus(200, tmp_path / "a", seed=5)
    write_synthetic_corpus(200, tmp_path / "b", seed=5)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_local_plans_implement_national_plans_of_earlier_or_same_year(corpus):
    plans = {plan.id: plan for plan in corpus.plans}
    locals_ = [plan for plan in corpus.plans if plan.level != "national"]
    assert locals_ and any(plan.level == "provincial" for plan in locals_)
    for plan in locals_:
        assert plan.region
        implemented = plans[plan.implements]
        assert implemented.level == "national"
        assert implemented.year <= plan.year
    assert all(plan.implements is None for plan in corpus.plans if plan.level == "national")


def test_several_editions(corpus):
    assert corpus.years == tuple(range(2016, 2026))


def test_every_agency_and_campaign_referenced_exists(corpus):
    agencies = {agency.id: agency for agency in corpus.agencies}
    campaigns = {campaign.id: campaign for campaign in corpus.campaigns}
    mentioned = set()
    for plan in corpus.plans:
        for measure in plan.measures:
            assert measure.agencies, measure.id
            for ref in measure.agencies:
                agency = agencies[ref.id]
                assert ref.name in (agency.name, *agency.aliases)
                assert agency.region == plan.region
                assert ref.name in measure.responsibility
            for ref in measure.campaigns:
                campaign = campaigns[ref.id]
                assert ref.name in campaign.variants
                assert f"“{ref.name}”" in measure.text
                assert campaign.first_year <= plan.year
                mentioned.add(ref.id)
    assert mentioned == set(campaigns)
    assert len(campaigns) >= 24


def test_agencies_registry_is_realistic(corpus):
    agencies = {agency.id: agency for agency in corpus.agencies}
    assert len(agencies) >= 200
    local = [agency for agency in agencies.values() if agency.level != "national"]
    assert local and all(agencies[agency.national_counterpart].level == "national" for agency in local)
    assert all(agency.successor in agencies for agency in agencies.values() if agency.successor)


def test_quotation_marks_only_around_registered_campaigns(corpus):
    # A quoted phrase that is not a listed mention would show up as a campaign candidate in check.
    for plan in corpus.plans:
        for measure in plan.measures:
            assert measure.text.count("“") == len(measure.campaigns), measure.id


def test_sources_hold_the_measures_verbatim_with_their_sha256(corpus, corpus_dir):
    for plan in corpus.plans:
        data = (corpus_dir / "sources" / plan.source.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == plan.source.sha256
        lines = data.decode("utf-8").split("\n")
        assert plan.source.lines == (1, len(lines) - 1)
        for measure in plan.measures:
            first, last = measure.lines
            printed = "".join("".join(lines[first - 1:last]).split())
            own = measure.label + measure.heading + measure.text + measure.responsibility
            assert printed == "".join(own.split()), measure.id


def test_measure_ids_are_unique_and_under_their_plan(corpus):
    ids = [measure.id for plan in corpus.plans for measure in plan.measures]
    assert len(ids) == len(set(ids))
    for plan in corpus.plans:
        assert all(measure.id.startswith(plan.id + "/") for measure in plan.measures)


def test_the_three_shapes_of_real_plans_appear(corpus):
    kinds = {tuple(sorted({node.kind for node in plan.walk()})) for plan in corpus.plans}
    assert ("group", "measure", "part") in kinds  # Chongqing: groups with only a heading
    nested = [m for plan in corpus.plans for m in plan.measures if any(c.is_measure for c in m.children)]
    assert nested and all(child.label == "" for m in nested for child in m.children)  # 68号 sub-tasks


def test_sentences_are_real_simplified_and_unquoted(pool):
    # From the plans' measure texts (their Simplified form) when they exist, else the raw captures.
    real = ["".join(path.read_text(encoding="utf-8-sig").split()) for path in sorted((ROOT / "data/sources").glob("*.txt"))]
    for plan in load_corpus(ROOT / "data").plans if list((ROOT / "data/plans").glob("*.yaml")) else ():
        real += ["".join((measure.text_simplified or measure.text).split()) for measure in plan.measures]
    real_text = "\n".join(real)
    for sentence in pool.sentences:
        assert sentence in real_text
        assert "“" not in sentence and "國" not in sentence


def test_sentences_come_from_the_plans_when_they_exist(tmp_path):
    (tmp_path / "plans").mkdir()
    texts = [f"在重点领域开展服务业质量提升专项行动第{n}项。" for n in range(25)]
    parts = "".join(
        f"- {{kind: part, heading: {heading}, children: [\n"
        f"   {{kind: measure, heading: 推动品牌建设{n}。, text: {texts[n]}实施出口食品竞争力提升工程。}}]}}\n"
        for n, heading in enumerate(["增强质量和品牌提升的动力", "优化质量和品牌提升的环境", "夯实质量和品牌提升的基础"])
    )
    measures = "".join(f"- {{kind: measure, heading: 推动品牌建设{n}。, text: {t}}}\n" for n, t in enumerate(texts))
    (tmp_path / "plans" / "p.yaml").write_text("nodes:\n" + parts + measures, encoding="utf-8")
    pool = read_sentence_pool(tmp_path)
    assert "实施出口食品竞争力提升工程。" in pool.sentences and texts[3] in pool.sentences
    assert "推动品牌建设2。" in pool.headings
    assert pool.part_headings == ("增强质量和品牌提升的动力", "优化质量和品牌提升的环境", "夯实质量和品牌提升的基础")


def test_split_sentences_drops_label_and_agency_parenthesis():
    text = "（三）加强标准计量基础工作。推进新药研发质量与品牌提升；“清源”行动要继续。（质检总局、商务部按职责分工负责）"
    assert split_sentences(text) == ["加强标准计量基础工作。", "推进新药研发质量与品牌提升；"]


def test_sentences_come_from_sources_when_there_are_no_plans(tmp_path):
    (tmp_path / "sources").mkdir()
    for name in ("000_efb95279d0e108c1.txt", "001_65449852ce879aa7.txt"):
        (tmp_path / "sources" / name).write_bytes((ROOT / "data/sources" / name).read_bytes())
    pool = read_sentence_pool(tmp_path)
    assert "开展提升医疗质量专项工作。" in pool.sentences
    assert not any("質" in sentence for sentence in pool.sentences)  # the Traditional capture is left out


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "agencies.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match="not written by synth"):
        write_synthetic_corpus(20, tmp_path)
    assert (tmp_path / "agencies.yaml").read_text(encoding="utf-8") == "[]\n"


def test_replaces_its_own_earlier_output(tmp_path):
    out = tmp_path / "synth"
    write_synthetic_corpus(50, out)
    stale = out / "plans" / "stale.yaml"
    stale.write_text("{}\n", encoding="utf-8")
    write_synthetic_corpus(30, out)
    assert (out / MARKER).exists() and not stale.exists()
    assert sum(len(plan.measures) for plan in load_corpus(out).plans) == 30


def test_zero_measures_is_a_clear_error(pool):
    with pytest.raises(GeneratorError, match="at least one measure"):
        synthesize(0, pool)
