"""What the "引用本条" boxes offer: the two URLs of a page and its reference in GB/T 7714-2015 form.

The reference follows the standard's example for an official document read
online (著录规则 8.x, 电子资源):

    北京市人民政府办公厅. 关于转发…的通知: 京政办发〔2005〕37号[A/OL]. (2005-07-12)[2011-07-12]. http://….

that is 主要责任者. 题名: 其他题名信息[文献类型标志/文献载体标志]. (更新或修改日期)[引用日期].
获取和访问路径. The date of citing is the reader's: the page fills it in (and the
page's absolute address when the site was built without a site_url) with
overrides/assets/javascripts/qp-cite.js; the text here holds a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Plan

@dataclass(frozen=True)
class Citation:
    """One page's cite box, plain text (the template escapes it)."""

    page_path: str
    """The page's path in an edition (urls), from which the script rebuilds absolute URLs."""
    edition_url: str
    """The frozen URL of the page in this edition: absolute with a site_url, else /<year>/<path>."""
    latest_url: str
    """The living URL of the page (/latest/<path>)."""
    doc_number: str | None
    """发文字号 of the plan, as printed."""
    reference_head: str
    """The reference up to the date of citing: "国务院办公厅. …: 国办发〔2016〕18号[A/OL]. (2016-04-19)"."""


def reference_head(plan: Plan) -> str:
    """A plan's GB/T 7714-2015 reference up to (and without) its [引用日期] and URL."""
    authors = ", ".join(plan.issuers)
    title = plan.full_title or plan.title
    if plan.doc_number:
        title = f"{title}: {plan.doc_number}"
    date = plan.date_published or plan.date_written
    dated = f" ({date.iso})" if date else ""
    return f"{authors}. {title}[A/OL].{dated}"


def citation(plan: Plan, page_path: str, urls: tuple[str, str]) -> Citation:
    edition_url, latest_url = urls
    return Citation(
        page_path=page_path,
        edition_url=edition_url,
        latest_url=latest_url,
        doc_number=plan.doc_number,
        reference_head=reference_head(plan),
    )
