"""Model objects built in memory for unit tests of the steps after load."""

from __future__ import annotations

from generator.model import Plan, Source


def plan(plan_id, nodes, implements=None, level="provincial", region="安徽省", title=None):
    """A 2016 plan with nothing but its measures; national plans have no region."""
    return Plan(
        id=plan_id,
        title=title or plan_id,
        doc_number=None,
        issuers=(),
        level=level,
        region=region if level != "national" else None,
        year=2016,
        source=Source(file=f"{plan_id}.txt", sha256="0" * 64, script="simplified"),
        nodes=tuple(nodes),
        implements=implements,
    )
