"""The Jinja environment of every page template, with the one escaper and the link helpers.

`{{ value }}` is escaped for Markdown and HTML (generator.render.escape)
unless it is Markup; `|join` and `|e` escape the same way. Templates that need
raw HTML or a computed link get it as Markup from Python (the link helpers
below, |tojson, or `|safe` on template literals), never from data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, MutableMapping

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2 import nodes
from markupsafe import Markup

from generator import urls
from generator.errors import GeneratorError
from generator.model import Campaign, Node, Plan, shown_date, shown_value
from generator.render.escape import memoised_escape
from generator.render.links import checked, markdown_href

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

LEVEL_NAMES = {"national": "国家", "provincial": "省级", "municipal": "市级"}
CAMPAIGN_KINDS = {"enforcement": "执法检查", "promotion": "宣传推广", "training": "培训", "certification": "认证"}


class _EscapedByFinalize(CodeGenerator):
    """Compiles `{{ value }}` to `finalize(value)` where Jinja writes `escape(finalize(value))`.

    Our `finalize` is an escaper and always returns Markup, on which markupsafe's
    escape only copies the text into a new Markup: a million copies at 10,000
    measures. Where autoescape can change inside a template (volatile) Jinja's
    own code stays.
    """

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            # The parenthesis _output_child_post closes in place of escape's.
            self.write("(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _EscapedByFinalize

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a plain dict, not Jinja's ChainMap over the environment's.

        Every render copies them into the page's context and every `{% from %}`
        compares their keys; a ChainMap does both in Python, a dict in C. The
        environment's globals are all set before the first template is loaded
        (Jinja asks as much), so a copy sees the same names.
        """
        return {**self.globals, **(d or {})}


def strict_environment(finalize: Callable[[Any], Markup]) -> jinja2.Environment:
    """The templates of generator/templates/ with every printed value passed through `finalize` (an escaper).

    `finalize` must return Markup for every value: what it returns is printed as is.
    """
    return _Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # One environment serves one build: templates never change meanwhile,
        # and checking their files before every page costs a stat per page.
        auto_reload=False,
    )


def template_env() -> jinja2.Environment:
    """A fresh environment: one per build, since it remembers what it escaped."""
    escape = memoised_escape()

    def join(items: Iterable[Any], separator: str = "", attribute: str | None = None) -> Markup:
        if attribute is not None:
            items = (getattr(item, attribute) for item in items)
        return escape(separator).join(escape(item) for item in items)

    def finalize(value: Any) -> Any:
        if value is None:
            raise GeneratorError("a template printed None; use a default in the template")
        return escape(value)

    env = strict_environment(finalize)
    env.filters.update(
        e=escape,
        escape=escape,
        join=join,
        md=escape,
        plain_id=lambda value: Markup(checked(str(value))),
        paragraphs=paragraphs,
        level_name=lambda level: LEVEL_NAMES.get(level, level),
        kind_name=lambda kind: CAMPAIGN_KINDS.get(kind, kind),
        document_date=document_date,
        date=shown_date,
        or_empty=shown_value,
    )
    env.globals.update(link=_link, urls=urls, **_link_helpers(escape))
    # ensure_ascii keeps front matter plain ASCII YAML; |tojson also escapes <>&'
    # so JSON placed inside <script> cannot close it.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": True}
    return env


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text: each one is a paragraph of the page."""
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def document_date(plan: Plan) -> str:
    """The date a document bears (成文日期, else 发布日期) as YYYY-MM-DD; its year where it bears none."""
    date = plan.date_written or plan.date_published
    return date.iso if date else str(plan.year)


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: str) -> Markup:
    """Relative link from the page being rendered to the page or file at `target`."""
    return markdown_href(context["page_path"], target)


def _link_helpers(escape: Callable[[Any], Markup]) -> dict[str, Any]:
    """Names and Markdown links of plans, measures, agencies and campaigns, as Markup.

    They stand in every per-item loop of the templates (a measure page lists its
    neighbours and agencies, an agency page hundreds of measures), so they are
    Python rather than Jinja macros: 10,000 measures make a few hundred thousand
    calls, and a macro call costs many times a function call. Text is escaped
    with the environment's `escape`; link targets are checked paths.
    """

    def plan_name(plan: Plan) -> Markup:
        """《title》（doc number）."""
        name = f"《{escape(plan.title)}》"
        return Markup(f"{name}（{escape(plan.doc_number)}）" if plan.doc_number else name)

    @jinja2.pass_context
    def plan_link(context: jinja2.runtime.Context, plan: Plan) -> Markup:
        return Markup(f"[{plan_name(plan)}]({markdown_href(context['page_path'], urls.plan_path(plan.id))})")

    @jinja2.pass_context
    def measure_link(context: jinja2.runtime.Context, measure: Node) -> Markup:
        href = markdown_href(context["page_path"], urls.measure_path(measure.id or ""))
        return Markup(f"[{escape(measure.title)}]({href})")

    @jinja2.pass_context
    def agency_link(context: jinja2.runtime.Context, agency_id: str, name: str) -> Markup:
        return Markup(f"[{escape(name)}]({markdown_href(context['page_path'], urls.agency_path(agency_id))})")

    @jinja2.pass_context
    def campaign_link(context: jinja2.runtime.Context, campaign: Campaign) -> Markup:
        return Markup(f"[{escape(campaign.name)}]({markdown_href(context['page_path'], urls.campaign_path(campaign.id))})")

    return {
        "plan_name": plan_name,
        "plan_link": plan_link,
        "measure_link": measure_link,
        "agency_link": agency_link,
        "campaign_link": campaign_link,
    }
