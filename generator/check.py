"""`python -m generator check`: validate all of data/ and report every problem.

Prints one line per problem (`file:line: path: what (fix)`), then a summary;
campaign candidates (quoted phrases that look like campaigns but are neither
registered nor known non-campaigns) are warnings: they do not fail the check.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from generator.errors import InvalidData
from generator.load import load_corpus
from generator.corpus import Corpus


def check_data(data_dir: Path, out: TextIO | None = None) -> int:
    """0 when data/ is valid, 1 when it is not (every problem printed)."""
    out = out or sys.stdout
    try:
        corpus = load_corpus(Path(data_dir))
    except InvalidData as error:
        for problem in error.problems:
            print(problem, file=out)
        print(f"{len(error.problems)} problem(s) in {Path(data_dir).as_posix()}/; fix them and run check again", file=out)
        return 1
    warnings = campaign_warnings(corpus, Path(data_dir).as_posix())
    for warning in warnings:
        print(f"warning: {warning}", file=out)
    measures = sum(len(plan.measures) for plan in corpus.plans)
    print(
        f"{Path(data_dir).as_posix()}/ is valid: {len(corpus.plans)} plans, {measures} measures, "
        f"{len(corpus.agencies)} agencies, {len(corpus.campaigns)} campaigns"
        + (f"; {len(warnings)} warning(s)" if warnings else ""),
        file=out,
    )
    return 0


def campaign_warnings(corpus: Corpus, shown_dir: str = "data") -> list[str]:
    """One line per quoted phrase in a measure that may be an unregistered campaign."""
    try:
        # Written by the ingest package; check runs without it until it lands.
        from generator.ingest.campaigns import find_candidates
    except ImportError:
        return []
    warnings = []
    for plan in corpus.plans:
        for measure in plan.measures:
            text = measure.heading + measure.text
            for phrase in find_candidates(text, corpus.campaigns, corpus.non_campaigns):
                where = f"{measure.location.file}:{measure.location.line}: " if measure.location else ""
                warnings.append(
                    f"{where}{measure.id}: '{phrase}' looks like a campaign but is not registered "
                    f"(add it to {shown_dir}/campaigns.yaml, or to {shown_dir}/non_campaigns.yaml if it is not a campaign)"
                )
    return warnings
