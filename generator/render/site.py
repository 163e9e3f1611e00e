"""What every page of one edition shares while it is rendered."""

from __future__ import annotations

from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from generator.align import Alignment
from generator.link import Links, link_corpus
from generator.model import Plan
from generator.corpus import Corpus
from generator.render.jsonld import plan_jsonld
from generator.render.links import checked


class Site:
    """The edition's corpus, links, alignment and template environment, gathered before any page is rendered."""

    def __init__(
        self,
        corpus: Corpus,
        edition: int,
        site_url: str | None,
        alignment: Alignment,
        env: jinja2.Environment,
        compare_pages: Iterable[str],
    ):
        self.corpus = corpus
        """The edition's corpus: plans published up to its year."""
        self.edition = edition
        self.site_url = (site_url or "").rstrip("/")
        self.links: Links = link_corpus(corpus)
        self.env = env
        self.alignment = alignment
        """National ↔ local pairings of the edition (generator.align)."""
        self.compare_pages = frozenset(compare_pages)
        """Markdown files of the comparison pages of the edition."""
        self._plan_jsonld: dict[str, dict] = {}

    @property
    def plans(self):
        return self.corpus.plans_by_id

    @property
    def agencies(self):
        return self.corpus.agencies_by_id

    @property
    def campaigns(self):
        return self.corpus.campaigns_by_id

    def render(self, template: str, page_path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            page_path=page_path,
            edition=self.edition,
            corpus=self.corpus,
            links=self.links,
            plans=self.plans,
            agencies=self.agencies,
            campaigns=self.campaigns,
            **context,
        )

    def plan_jsonld(self, plan: Plan) -> dict:
        """plan_jsonld, made once per plan: every measure page of the plan embeds it (read only)."""
        found = self._plan_jsonld.get(plan.id)
        if found is None:
            found = self._plan_jsonld[plan.id] = plan_jsonld(plan, self.latest_url)
        return found

    def latest_url(self, path: str) -> str:
        return str(self.cite_urls(path)[1])

    def cite_urls(self, path: str) -> tuple[Markup, Markup]:
        """The frozen edition URL and the living latest URL of a page."""
        path = checked(path)
        return (
            Markup(f"{self.site_url}/{self.edition}/{path}"),
            Markup(f"{self.site_url}/latest/{path}"),
        )
