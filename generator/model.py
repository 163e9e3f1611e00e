"""The domain: plans, their provisions, agencies and campaigns.

Pure data, no I/O: this module imports neither YAML, Jinja nor MkDocs, so every
step of the pipeline (validate, link, align, render) can be tested on objects
built in memory. Everything is frozen: a loaded corpus is never edited in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Literal

Level = Literal["national", "provincial", "municipal"]
Role = Literal["lead", "responsible", "assisting", "guiding"]
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "负责", "assisting": "协助", "guiding": "指导"}
"""The one place a role gets its Chinese wording (牵头 / 负责 / 协助·配合·参与 / 指导)."""
NodeKind = Literal["part", "group", "measure"]
Script = Literal["simplified", "traditional"]

EMPTY = "—"
"""What every page shows for a value the document does not give (no doc number, no date)."""

TITLE_LENGTH = 30
"""Characters of a heading-less measure's text that stand in for its heading (Node.title)."""


def shown(original: str, simplified: str | None) -> str:
    """The form a page shows: the mainland Simplified form where there is one, else the original.

    The one rule for every display; the original stays beside it where a page shows both.
    """
    return simplified or original


@dataclass(frozen=True)
class SourceLocation:
    """Where a thing stands in a data file, for error messages."""

    file: str
    """Path of the YAML file, relative to the project root."""
    line: int
    """1-based line of the mapping that defines the thing."""


_ZERO_PADDING = re.compile(r"(?<![0-9])0+(?=[0-9])")


@dataclass(frozen=True)
class PrintedDate:
    """A date as the document prints it, with its ISO reading."""

    printed: str
    """Exactly as printed: "2016年04月04日", "2016.10.25", "2023-02-06"."""
    iso: str
    """The same day as YYYY-MM-DD."""

    @property
    def chinese(self) -> str:
        """The day as the site writes every date: 2016年4月4日."""
        year, month, day = self.iso.split("-")
        return f"{int(year)}年{int(month)}月{int(day)}日"

    @property
    def shown(self) -> str:
        """The site's form, with the printed form beside it where that is written otherwise.

        "2016年04月04日" is the site's form with zero padding, not another way of
        writing the day, so it is not repeated beside it."""
        chinese = self.chinese
        same = _ZERO_PADDING.sub("", self.printed) == chinese
        return chinese if same else f"{chinese}（原文：{self.printed}）"


def shown_date(date: PrintedDate | None) -> str:
    """A date as every page shows it: "2016年4月4日" (printed form beside where it differs), EMPTY where there is none."""
    return date.shown if date else EMPTY


def shown_value(value: str | None) -> str:
    """A metadata value as every page shows it: as given, EMPTY where there is none."""
    return value or EMPTY


@dataclass(frozen=True)
class Furniture:
    """A line of the captured web page that is not the document (breadcrumb, metadata table)."""

    rule: str
    """The named rule of generator.ingest.furniture that recognised it."""
    line: int
    """Its line in the source file, from 1."""
    text: str
    """The line verbatim."""


@dataclass(frozen=True)
class AgencyRef:
    """One agency named in a measure's trailing parenthesis."""

    id: str
    """Id of the entry in data/agencies.yaml."""
    name: str
    """The name as written in this measure (省质监局, 质检总局 …)."""
    role: Role
    """lead (牵头, or first-listed under a document's rule), responsible (负责 / 按职责分工负责),
    assisting (协助 / 配合 / 参与 / 会同's partners) or guiding (指导)."""
    printed: str | None = None
    """The name as printed where list words were cut from it ("商务部等"); None where it is `name`."""
    wording: str | None = None
    """The role word as printed where the role's own word is not it (配合, 参与, 会同 for its partners)."""

    @property
    def role_label(self) -> str:
        """The role in Chinese as the document words it, for the site."""
        return self.wording or ROLE_LABELS[self.role]


@dataclass(frozen=True)
class AgencyMention:
    """A body that a measure's running text names or tasks, kept apart from its printed responsibility."""

    id: str
    """Id of the entry in data/agencies.yaml."""
    name: str
    """The name as the text writes it."""
    task: bool = False
    """True where the text gives it a task ("省质监局要会同…"), False where it only names it."""


@dataclass(frozen=True)
class CampaignRef:
    """One mention of a named campaign inside a measure's text."""

    id: str
    """Id of the entry in data/campaigns.yaml."""
    name: str
    """The words as written, e.g. "2016网络市场监管专项行动"."""


@dataclass(frozen=True)
class Node:
    """One provision of a plan's hierarchy: a part, a group or a measure.

    A part (一、) or group (（一） with only a heading) organises; a measure is
    every provision that carries text of its own and is what staff cite.
    """

    kind: NodeKind
    """part, group (heading only) or measure (carries text)."""
    label: str
    """The number as printed: "一、", "（六）", "(三)", "29．"; "" for the unnumbered sub-tasks of 68号."""
    ordinal: int
    """Position among its siblings of the same numbering, from 1."""
    heading: str
    """The heading as printed, terminal punctuation included; "" where there is none."""
    text: str
    """The provision's own text verbatim, without label, heading and agency parenthesis; paragraphs joined by "\\n"."""
    id: str | None = None
    """Permanent id of a measure ("guobanfa-2016-18/06"); None for parts and groups."""
    responsibility: str = ""
    """The trailing agency parenthesis exactly as printed, "" where there is none."""
    agencies: tuple[AgencyRef, ...] = ()
    """Agencies responsible, one by one, in printed order."""
    campaigns: tuple[CampaignRef, ...] = ()
    """Campaign mentions in printed order."""
    mentions: tuple[AgencyMention, ...] = ()
    """Bodies the running text names, apart from the printed responsibility."""
    responsibility_fields: tuple[tuple[str, str], ...] = ()
    """Labelled fields of the parenthesis that name no agency, as printed: (("适用范围", "浙江自贸试验区"),)."""
    heading_simplified: str | None = None
    """Mainland Simplified form of the heading, only for Traditional sources."""
    text_simplified: str | None = None
    """Mainland Simplified form of the text, only for Traditional sources."""
    lines: tuple[int, int] | None = None
    """First and last line in the source file."""
    children: tuple["Node", ...] = ()
    """Sub-provisions in printed order."""
    location: SourceLocation | None = None
    """Where this node is defined in data/."""

    @property
    def is_measure(self) -> bool:
        return self.kind == "measure"

    @property
    def key(self) -> str:
        """The id of a measure as a plain str (validation makes every measure have one); "" for a part or group."""
        return self.id or ""

    @property
    def shown_heading(self) -> str:
        """The heading as a page shows it: mainland Simplified where the source is Traditional."""
        return shown(self.heading, self.heading_simplified)

    @property
    def shown_text(self) -> str:
        """The text as a page shows it: mainland Simplified where the source is Traditional."""
        return shown(self.text, self.text_simplified)

    @property
    def title(self) -> str:
        """Label and shown heading; where there is no heading, the opening words of the text.

        What a list or a link calls the measure; the text is cut at TITLE_LENGTH characters.
        """
        heading = self.shown_heading
        if not heading:
            text = self.shown_text
            heading = text[:TITLE_LENGTH] + ("…" if len(text) > TITLE_LENGTH else "")
        return self.label + heading

    def walk(self) -> Iterator["Node"]:
        """This node and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Source:
    """The verbatim file a plan was ingested from."""

    file: str
    """File name inside data/sources/."""
    sha256: str
    """Hex digest of the file's bytes, proving the source was not edited."""
    script: Script
    """Script of the printed text."""
    encoding: str = "utf-8"
    """Encoding the file was decoded from (recorded when it was converted)."""
    lines: tuple[int, int] | None = None
    """The lines of the file that belong to this plan (a file may hold two)."""


@dataclass(frozen=True)
class Plan:
    """One policy document: a national or local plan, or a forwarding notice."""

    id: str
    """Permanent ASCII id, e.g. "guobanfa-2016-18"; never recomputed from the title."""
    title: str
    """Title in mainland Simplified (质量强国建设纲要)."""
    doc_number: str | None
    """发文字号, e.g. "国办发〔2016〕18号"; None where the source has none or an empty 〔〕."""
    issuers: tuple[str, ...]
    """发文机关, one per issuer: 中共中央、国务院 is two."""
    level: Level
    """national, provincial or municipal."""
    region: str | None
    """安徽省, 重庆市, 广东省; None for national plans."""
    year: int
    """Year of publication; decides the editions the plan belongs to."""
    source: Source
    """The verbatim source file."""
    nodes: tuple[Node, ...]
    """The top of the hierarchy in printed order."""
    title_as_printed: str | None = None
    """The title in the source's own script where it differs (品質強國建設綱要)."""
    full_title: str | None = None
    """The covering notice's title (国务院办公厅关于印发…的通知) where there is one."""
    date_written: PrintedDate | None = None
    """成文日期."""
    date_published: PrintedDate | None = None
    """发布日期 / 公布日期."""
    date_effective: PrintedDate | None = None
    """施行日期."""
    subject: str | None = None
    """主题分类 as printed."""
    subject_simplified: str | None = None
    """Mainland Simplified form of `subject`, only for Traditional sources."""
    implements: str | None = None
    """Id of the plan this one carries out ("根据《…》（国办发〔2016〕18号）要求")."""
    forwards: str | None = None
    """Id of the plan this notice forwards (转发)."""
    cites: tuple[str, ...] = ()
    """Doc numbers (发文字号) of documents it carries out or forwards that are not in the corpus."""
    lead_rule: str | None = None
    """The document's own rule for roles as printed ("列第一位者为牵头单位，下同"): the first body listed leads."""
    review_notes: tuple[str, ...] = ()
    """What ingest could not find (a date, a title …), for an editor to fill; `check` lists them."""
    incomplete: bool = False
    """True where the captured source is truncated."""
    incomplete_note: str | None = None
    """What is missing, for the reader."""
    furniture: tuple[Furniture, ...] = ()
    """Lines of the source that are page furniture, not the document; kept so nothing is dropped silently."""
    preamble: str = ""
    """Text before the first provision (covering notice, purpose), verbatim."""
    closing: str = ""
    """Text after the last provision, verbatim."""
    preamble_simplified: str | None = None
    """Mainland Simplified form of the preamble, only for Traditional sources."""
    closing_simplified: str | None = None
    """Mainland Simplified form of the closing, only for Traditional sources."""
    location: SourceLocation | None = None
    """The YAML file defining the plan."""

    def walk(self) -> Iterator[Node]:
        """Every node of the plan in document order."""
        for node in self.nodes:
            yield from node.walk()

    @cached_property
    def locators(self) -> tuple["MeasureLocator", ...]:
        """Every measure with the parts and groups above it, in document order.

        The one walk of a plan's tree that pages, links, alignment and export
        share; made once per plan (the plan is frozen, so it never goes stale).
        """
        found: list[MeasureLocator] = []

        def visit(nodes: tuple[Node, ...], ancestors: tuple[Node, ...]) -> None:
            for node in nodes:
                if node.is_measure:
                    found.append(MeasureLocator(plan=self, measure=node, ancestors=ancestors))
                visit(node.children, ancestors + (node,))

        visit(self.nodes, ())
        return tuple(found)

    @cached_property
    def measures(self) -> tuple[Node, ...]:
        """Every measure in document order."""
        return tuple(locator.measure for locator in self.locators)

    @property
    def shown_preamble(self) -> str:
        """The preamble as a page shows it: mainland Simplified where the source is Traditional."""
        return shown(self.preamble, self.preamble_simplified)

    @property
    def shown_subject(self) -> str:
        """主题分类 as a page shows it: mainland Simplified where the source is Traditional; "" where none is printed."""
        return shown(self.subject or "", self.subject_simplified)

    @property
    def shown_closing(self) -> str:
        """The closing as a page shows it: mainland Simplified where the source is Traditional."""
        return shown(self.closing, self.closing_simplified)


@dataclass(frozen=True)
class Agency:
    """A government body named as responsible in some measure."""

    id: str
    """Permanent ASCII id from pypinyin: "zhijianzongju", "anhui-zhijianju"."""
    name: str
    """Canonical short name as the documents write it (质检总局, 安徽省质监局)."""
    full_name: str
    """Full official name (国家质量监督检验检疫总局)."""
    level: Level
    """national, provincial or municipal."""
    region: str | None = None
    """Region of a local agency, None for national ones."""
    aliases: tuple[str, ...] = ()
    """Other names the documents use for it (省质监局 inside the Anhui plan …)."""
    national_counterpart: str | None = None
    """Id of the national agency a local one corresponds to."""
    successor: str | None = None
    """Id of the agency that took over its duties (2018 reform → 市场监管总局)."""
    collective: bool = False
    """True for a group rather than one body (联席会议成员单位, 有关部门)."""
    draft: bool = False
    """True for an entry ingest drafted; `check` lists it until an editor reviews it and removes the mark."""
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Campaign:
    """A named enforcement or promotion campaign (质检利剑, 清源 …)."""

    id: str
    """Permanent ASCII id from pypinyin: "zhijian-lijian"."""
    name: str
    """Canonical name without quotation marks."""
    kind: str
    """What sort of campaign: enforcement, promotion, training …"""
    first_year: int
    """First year the corpus mentions it."""
    variants: tuple[str, ...] = ()
    """Every form the documents write it in, the canonical one included."""
    description: str = ""
    """One sentence for the reader."""
    location: SourceLocation | None = None


@dataclass(frozen=True)
class MeasureLocator:
    """A measure together with the plan and ancestors it stands in."""

    plan: Plan
    measure: Node
    ancestors: tuple[Node, ...] = field(default=())
    """Parts and groups above the measure, outermost first."""
