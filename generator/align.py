"""Align the measures of every local plan to the national plan it implements.

The method, told to readers on docs/alignment-method.md: every measure becomes a
bag of character pairs (bigrams) of its heading and text, and, for a measure
inside a group that is only a heading (重庆's （十三）推动外贸优进优出), of that
heading too, as a reader reads it. Each pair is weighted by TF-IDF, the IDF
counted over the measures of the national plan and of the one local plan being
compared, so 质量 or 开展 weigh almost nothing and 蚂蚁搬家 or 单一窗口 weigh a lot.
The text score is the cosine of the two weighted bags; a pair of measures whose
texts score below MIN_SCORE is not a pairing unless they name the same campaign.
The score is 0.80 × text + 0.15 for a shared campaign (by campaign id, so
"2016网络市场监管专项行动" meets "2016红盾网剑专项行动") + 0.05 × the agreement of
the responsible agencies (a local agency's national_counterpart responsible for
the national measure, IDF-weighted). A local plan is only ever compared with the
plan it implements, through an inverted index, so the work grows with the terms
two plans share, not with every pair of measures in the corpus.

Reviewed decisions (data/alignments.yaml) win: a pin adds or keeps a pairing and
marks it "reviewed"; a reject removes it whatever its score.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import chain
from operator import add
from typing import Iterable, Literal, Mapping, cast

from generator.forked import run_tasks
from generator.model import Node, Plan
from generator.corpus import Corpus, Override

PairingSource = Literal["computed", "reviewed"]

MIN_SCORE = 0.05
"""Text score below which two measures share only what any two quality measures share.

Measured on the labelled set: the one true local addition of 安徽 scores 0.037
with its nearest national measure, the weakest true pairings 0.05–0.06."""
RUNNER_UP_RATIO = 0.6
"""A second or third national measure is kept only when it scores at least this share of the best."""
MAX_PAIRINGS = 3
"""At most this many computed national counterparts per local measure."""
NGRAMS = (2,)
"""Lengths of the character n-grams a text is cut into."""
CONTEXT_WEIGHT = 1.0
"""Weight of a heading-only group's words in the measures under it (read as a reader reads them)."""
CAMPAIGN_WEIGHT = 0.15
"""Share of the score for naming the same campaign (all or nothing)."""
AGENCY_WEIGHT = 0.05
"""Share of the score for corresponding responsible agencies (IDF-weighted cosine)."""
TEXT_WEIGHT = 1.0 - CAMPAIGN_WEIGHT - AGENCY_WEIGHT
"""Share of the score for the texts; the three shares sum to 1, so a score stays within 0–1."""

_RUN = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
"""Full-width ASCII forms and the ideographic space: their NFKC form is one ASCII character."""


@dataclass(frozen=True)
class Pairing:
    """One local measure said to carry out one national measure."""

    local_measure_id: str
    national_measure_id: str
    score: float
    """0–1 (rounded to 3 places): how much the two share, rare phrases counting more."""
    rank: int
    """1 = the best national counterpart of this local measure."""
    source: PairingSource
    """computed by the method, or reviewed (pinned by an editor in data/alignments.yaml)."""


@dataclass(frozen=True)
class PlanAlignment:
    """How one local plan lines up with the national plan it implements."""

    local_plan_id: str
    national_plan_id: str
    pairings: tuple[Pairing, ...]
    """Ordered by local measure (document order), then rank."""
    gaps: tuple[str, ...]
    """National measure ids no local measure of this plan carries out, in document order."""
    additions: tuple[str, ...]
    """Local measure ids that carry out no national measure, in document order."""


@dataclass(frozen=True)
class Alignment:
    """Every implementing plan aligned to the plan it implements."""

    plans: tuple[PlanAlignment, ...]

    @cached_property
    def pairings(self) -> tuple[Pairing, ...]:
        return tuple(pairing for plan in self.plans for pairing in plan.pairings)

    @cached_property
    def _by_measure(self) -> dict[str, list[tuple[str, float, str]]]:
        # Built once: every measure page asks for its counterparts.
        index: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
        for p in self.pairings:
            index[p.local_measure_id].append((p.national_measure_id, p.score, p.source))
            index[p.national_measure_id].append((p.local_measure_id, p.score, p.source))
        for found in index.values():
            found.sort(key=lambda item: (item[2] != "reviewed", -item[1], item[0]))
        return dict(index)

    def implementing(self, national_plan_id: str) -> tuple[PlanAlignment, ...]:
        """The alignments of the plans implementing `national_plan_id`, in corpus order."""
        return tuple(plan for plan in self.plans if plan.national_plan_id == national_plan_id)


def align_corpus(corpus: Corpus, overrides: Iterable[Override] = (), jobs: int = 1) -> Alignment:
    """Align every plan that implements another; `overrides` are the reviewed pairings (Dataset.overrides).

    `jobs` > 1 aligns the plans on that many forked processes (generator.forked): the same alignment, sooner.
    """
    decisions = list(overrides)
    plans_by_id = {plan.id: plan for plan in corpus.plans}
    counterpart_of = {agency.id: agency.national_counterpart for agency in corpus.agencies}
    pairs = [(plan, plans_by_id[plan.implements]) for plan in corpus.plans if plan.implements in plans_by_id]
    # A national plan implemented by many local ones is cut into bigrams once,
    # before any fork when there are several processes, so that all share it.
    bags: dict = {}
    if jobs > 1:
        for _, national in pairs:
            _plan_bags(national, bags)
            _postings(national, bags)
    tasks = [partial(align_plan, local, national, counterpart_of, decisions, bags) for local, national in pairs]
    return Alignment(plans=tuple(run_tasks(tasks, jobs)))


def align_plan(
    local: Plan,
    national: Plan,
    counterpart_of: Mapping[str, str | None] | None = None,
    overrides: Iterable[Override] = (),
    bags: dict | None = None,
) -> PlanAlignment:
    """Score every local measure of `local` against the measures of `national`."""
    counterpart_of = counterpart_of or {}
    bags = {} if bags is None else bags
    local_items, local_bags = _plan_bags(local, bags)
    national_items, national_bags = _plan_bags(national, bags)
    idf = _idf(local_bags + national_bags)
    local_vectors = [_unit(bag, idf) for bag in local_bags]
    national_vectors = [_unit(bag, idf) for bag in national_bags]
    text_scores = _cosines(local_vectors, national_vectors, _postings(national, bags))

    national_measures = [measure for measure, _ in national_items]
    agency_idf = _idf([{ref.id for ref in m.agencies} for m in national_measures])
    national_agencies = [_unit({ref.id: 1.0 for ref in m.agencies}, agency_idf) for m in national_measures]
    national_campaigns = [{ref.id for ref in m.campaigns} for m in national_measures]

    pinned: dict[str, set[str]] = defaultdict(set)
    rejected: set[tuple[str, str]] = set()
    for override in overrides:
        if override.decision == "pin":
            pinned[override.local].add(override.national)
        else:
            rejected.add((override.local, override.national))

    pairings: list[Pairing] = []
    for index, (measure, _) in enumerate(local_items):
        counterparts = {found for ref in measure.agencies if (found := counterpart_of.get(ref.id)) is not None}
        local_agencies = _unit({agency: 1.0 for agency in counterparts}, agency_idf)
        campaigns = {ref.id for ref in measure.campaigns}
        scores: dict[int, float] = {}
        for other in range(len(national_measures)):
            text_score = text_scores[index][other]
            shares_campaign = bool(campaigns & national_campaigns[other])
            # Agencies only rank candidates the texts already support: two measures
            # led by the same ministries are not for that reason the same measure.
            if text_score < MIN_SCORE and not shares_campaign:
                continue
            score = TEXT_WEIGHT * text_score + AGENCY_WEIGHT * _dot(local_agencies, national_agencies[other])
            if shares_campaign:
                score += CAMPAIGN_WEIGHT
            scores[other] = min(1.0, score)
        pairings.extend(_choose(measure.id, scores, national_measures, pinned, rejected))

    paired_national = {p.national_measure_id for p in pairings}
    paired_local = {p.local_measure_id for p in pairings}
    return PlanAlignment(
        local_plan_id=local.id,
        national_plan_id=national.id,
        pairings=tuple(pairings),
        gaps=tuple(i for i in (m.id for m in national_measures) if i not in paired_national),
        additions=tuple(m.id for m, _ in local_items if m.id not in paired_local),
    )


def _choose(
    local_id: str,
    scores: dict[int, float],
    national_measures: list[Node],
    pinned: Mapping[str, set[str]],
    rejected: set[tuple[str, str]],
) -> list[Pairing]:
    """The pairings of one local measure: reviewed pins first, then the computed ones that pass."""
    # Ties are broken by national document order so the result never depends on dict order.
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    ordered = [(i, s) for i, s in ordered if (local_id, national_measures[i].id) not in rejected]
    pins = pinned.get(local_id, set())
    chosen: list[tuple[str, float, PairingSource]] = []
    for i, score in ordered:
        if national_measures[i].id in pins:
            chosen.append((national_measures[i].key, score, "reviewed"))
    # A pinned pairing the texts do not support at all keeps a score of 0.
    scored = {national_measures[i].id for i, _ in ordered}
    for national_id in sorted(pins - scored):
        chosen.append((national_id, 0.0, "reviewed"))
    best = ordered[0][1] if ordered else 0.0
    computed = 0
    for i, score in ordered:
        national_id = national_measures[i].key
        if national_id in pins or computed == MAX_PAIRINGS:
            continue
        if score >= RUNNER_UP_RATIO * best:
            chosen.append((national_id, score, "computed"))
            computed += 1
    return [
        Pairing(local_id, national_id, round(score, 3), rank, source)
        for rank, (national_id, score, source) in enumerate(chosen, start=1)
    ]


def alignment_records(alignment: Alignment) -> list[dict]:
    """Rows of alignments.json in the open data."""
    return [
        {
            "local_measure_id": p.local_measure_id,
            "national_measure_id": p.national_measure_id,
            "score": p.score,
            "rank": p.rank,
            "source": p.source,
        }
        for p in alignment.pairings
    ]


def counterparts(alignment: Alignment, measure_id: str) -> list[tuple[str, float, str]]:
    """The measures paired with `measure_id` (either side) as (other id, score, source).

    Reviewed pairings first, then by score, best first.
    """
    return list(alignment._by_measure.get(measure_id, ()))


def _measures_with_context(plan: Plan) -> Iterable[tuple[Node, str]]:
    """Every measure with the headings of the heading-only groups above it."""
    for locator in plan.locators:
        yield locator.measure, "".join(node.shown_heading for node in locator.ancestors if node.kind == "group")


def measure_text(measure: Node) -> str:
    """The words of a measure the alignment reads: heading and text, in Simplified."""
    return measure.shown_heading + measure.shown_text


def bigrams(text: str) -> list[str]:
    """Character pairs inside runs of Han characters, letters and digits (punctuation splits)."""
    text = _nfkc(text)
    pairs: list[str] = []
    for run in _RUN.findall(text):
        for n in NGRAMS:
            # The n-grams of a run, starting at each character, made by map() over
            # the run and its shifted copies rather than sliced in a Python loop.
            if n == 2:
                pairs.extend(map(add, run, run[1:]))
            else:
                pairs.extend(map("".join, zip(*(run[k:] for k in range(n)))))
    return pairs


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), taking a short cut for full-width punctuation.

    Chinese text is rarely NFKC only because of its full-width marks (，；：（）),
    whose whole normal form is their ASCII form: mapping those first and then
    checking is many times faster than normalizing the text.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    mapped = _FULL_WIDTH.sub(_half_width, text)
    if unicodedata.is_normalized("NFKC", mapped):
        return mapped
    return unicodedata.normalize("NFKC", text)


def _half_width(match: re.Match) -> str:
    return " " if match.group() == "\u3000" else chr(ord(match.group()) - 0xFEE0)


def _plan_bags(plan: Plan, cache: dict) -> tuple:
    """The plan's measures with their contexts, and their bags of damped bigram counts (cached by plan id).

    A national plan implemented by many local ones is cut and counted once.
    """
    if plan.id not in cache:
        items = list(_measures_with_context(plan))
        cache[plan.id] = (items, [_damped_bag(_bag(measure, context)) for measure, context in items])
    return cache[plan.id]


def _postings(plan: Plan, cache: dict) -> dict[str, list[int]]:
    """Which measures of the plan hold each term: term → indices, ascending (cached with the bags)."""
    key = ("postings", plan.id)
    if key not in cache:
        postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(_plan_bags(plan, cache)[1]):
            for term in bag:
                postings[term].append(index)
        cache[key] = dict(postings)
    return cache[key]


def _bag(measure: Node, context: str) -> dict[str, float]:
    # A Counter, so a context term the text lacks starts at 0; its counts are floats from here on.
    bag = cast("dict[str, float]", Counter(bigrams(measure_text(measure))))
    for term in bigrams(context):
        bag[term] += CONTEXT_WEIGHT
    return bag


def _damped_bag(bag: Mapping[str, float]) -> dict[str, float]:
    # Sublinear: a phrase said five times is not five times the evidence.
    log = math.log
    return {term: 1.0 + log(tf) if tf > 1 else tf for term, tf in bag.items()}


def _idf(bags: list) -> dict[str, float]:
    # Iterating a bag (dict or set) gives its terms: each counts once per bag.
    frequency = Counter(chain.from_iterable(bags))
    count = len(bags)
    # ln(N/df): a term every measure has weighs nothing. Document frequencies
    # are small integers, so each distinct one is taken the logarithm of once.
    logs = {df: math.log(count / df) for df in set(frequency.values())}
    return {term: logs[df] for term, df in frequency.items()}


def _unit(bag: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    """The bag (of damped counts) weighted by `idf` and scaled to length 1."""
    get = idf.get
    vector = {term: damped * weight for term, damped in bag.items() if (weight := get(term, 0.0)) > 0}
    norm = math.sqrt(sum([weight * weight for weight in vector.values()]))
    return {term: weight / norm for term, weight in vector.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def _cosines(
    local_vectors: list[dict[str, float]],
    national_vectors: list[dict[str, float]],
    postings: Mapping[str, list[int]],
) -> list[list[float]]:
    """Cosine of every local vector with every national one (0.0 where they share no term).

    Through `postings`, the inverted index of the national plan's terms, so only
    pairs that share a term cost anything. A term of a local vector has a weight
    in this comparison's IDF, so every national vector listed for it holds it too.
    """
    results = []
    empty: tuple = ()
    for vector in local_vectors:
        sums = [0.0] * len(national_vectors)
        for term, weight in vector.items():
            for index in postings.get(term, empty):
                sums[index] += weight * national_vectors[index][term]
        results.append(sums)
    return results
