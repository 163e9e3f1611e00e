"""A large synthetic corpus in the real data format, for benchmarks.

`python benchmarks/synth.py --measures N --out DIR [--seed S]`.

The real corpus is five documents; the site must stay fast at ten thousand
measures. This module writes a data folder that `load_corpus` and `check`
accept as they would real data: national plans and the local plans that
implement them over several years, a few hundred agencies (national ones and
per-region local ones with their national counterpart), dozens of campaigns
mentioned in measures, and one verbatim source file per plan with its sha256.

The text is made of real sentences (from the structured plans in data/plans/
when they exist, else from the raw captures in data/sources/) recombined with a
seeded random generator, so pages, search index and alignment see realistic
Chinese text. The same seed and sentences always give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import GeneratorError
from generator.write import write_tree

PROJECT_DATA = Path(__file__).resolve().parent.parent / "data"
MARKER = ".synthetic"
"""File that marks a folder as written by synth, so a rerun may replace it (and nothing else)."""

FIRST_YEAR = 2016
YEARS = 10
MIN_MEASURES, MAX_MEASURES = 10, 40
NATIONAL_SHARE = 0.2
SUBJECT = "市场监管、安全生产监管\\质量监督"

# (name, id, doc-number prefix, its pinyin) for the provincial level; the four
# directly governed cities and a dozen large cities are municipal, as 重庆 is in
# the real corpus, and have no doc number in their captures.
PROVINCES = (
    ("河北省", "hebei", "冀", "ji"), ("山西省", "shanxi", "晋", "jin"),
    ("内蒙古自治区", "neimenggu", "内蒙古", "neimenggu"), ("辽宁省", "liaoning", "辽", "liao"),
    ("吉林省", "jilin", "吉", "ji"), ("黑龙江省", "heilongjiang", "黑", "hei"),
    ("江苏省", "jiangsu", "苏", "su"), ("浙江省", "zhejiang", "浙", "zhe"),
    ("安徽省", "anhui", "皖", "wan"), ("福建省", "fujian", "闽", "min"),
    ("江西省", "jiangxi", "赣", "gan"), ("山东省", "shandong", "鲁", "lu"),
    ("河南省", "henan", "豫", "yu"), ("湖北省", "hubei", "鄂", "e"),
    ("湖南省", "hunan", "湘", "xiang"), ("广东省", "guangdong", "粤", "yue"),
    ("广西壮族自治区", "guangxi", "桂", "gui"), ("海南省", "hainan", "琼", "qiong"),
    ("四川省", "sichuan", "川", "chuan"), ("贵州省", "guizhou", "黔", "qian"),
    ("云南省", "yunnan", "云", "yun"), ("西藏自治区", "xizang", "藏", "zang"),
    ("陕西省", "shaanxi", "陕", "shan"), ("甘肃省", "gansu", "甘", "gan"),
    ("青海省", "qinghai", "青", "qing"), ("宁夏回族自治区", "ningxia", "宁", "ning"),
    ("新疆维吾尔自治区", "xinjiang", "新", "xin"),
)
CITIES = (
    ("北京市", "beijing"), ("天津市", "tianjin"), ("上海市", "shanghai"), ("重庆市", "chongqing"),
    ("广州市", "guangzhou"), ("深圳市", "shenzhen"), ("杭州市", "hangzhou"), ("南京市", "nanjing"),
    ("武汉市", "wuhan"), ("成都市", "chengdu"), ("西安市", "xian"), ("青岛市", "qingdao"),
    ("厦门市", "xiamen"), ("宁波市", "ningbo"), ("苏州市", "suzhou"), ("长沙市", "changsha"),
)

# (id, name, full name, successor id); successors follow the 2018 reform, and a
# plan only names the bodies that existed in its year.
NATIONAL_AGENCIES = (
    ("fazhangaigewei", "发展改革委", "国家发展和改革委员会", None),
    ("kejibu", "科技部", "科学技术部", None),
    ("gongyehexinxihuabu", "工业和信息化部", "工业和信息化部", None),
    ("jiaoyubu", "教育部", "教育部", None),
    ("caizhengbu", "财政部", "财政部", None),
    ("gonganbu", "公安部", "公安部", None),
    ("renliziyuanshehuibaozhangbu", "人力资源社会保障部", "人力资源和社会保障部", None),
    ("huanjingbaohubu", "环境保护部", "环境保护部", "shengtaihuanjingbu"),
    ("shengtaihuanjingbu", "生态环境部", "生态环境部", None),
    ("zhufangchengxiangjianshebu", "住房城乡建设部", "住房和城乡建设部", None),
    ("jiaotongyunshubu", "交通运输部", "交通运输部", None),
    ("nongyebu", "农业部", "农业部", "nongyenongcunbu"),
    ("nongyenongcunbu", "农业农村部", "农业农村部", None),
    ("shangwubu", "商务部", "商务部", None),
    ("weishengjishengwei", "卫生计生委", "国家卫生和计划生育委员会", "weishengjiankangwei"),
    ("weishengjiankangwei", "卫生健康委", "国家卫生健康委员会", None),
    ("zhijianzongju", "质检总局", "国家质量监督检验检疫总局", "shichangjianguanzongju"),
    ("gongshangzongju", "工商总局", "国家工商行政管理总局", "shichangjianguanzongju"),
    ("shipinyaopinjianguanzongju", "食品药品监管总局", "国家食品药品监督管理总局", "shichangjianguanzongju"),
    ("shichangjianguanzongju", "市场监管总局", "国家市场监督管理总局", None),
    ("yinjianhui", "银监会", "中国银行业监督管理委员会", "yinbaojianhui"),
    ("baojianhui", "保监会", "中国保险监督管理委员会", "yinbaojianhui"),
    ("yinbaojianhui", "银保监会", "中国银行保险监督管理委员会", None),
    ("haiguanzongshu", "海关总署", "海关总署", None),
    ("guojiabiaozhunwei", "国家标准委", "国家标准化管理委员会", None),
    ("guojiarenjianwei", "国家认监委", "国家认证认可监督管理委员会", None),
    ("zhishichanquanju", "知识产权局", "国家知识产权局", None),
    ("lvyouju", "旅游局", "国家旅游局", None),
)
NATIONAL_COLLECTIVE = ("quanguo-zhiliang-gongzuo-bujilianxihuiyi-chengyuandanwei", "全国质量工作部际联席会议成员单位")
REFORM_YEAR = 2018
CREATED_BY_REFORM = frozenset({"shengtaihuanjingbu", "nongyenongcunbu", "weishengjiankangwei",
                               "shichangjianguanzongju", "yinbaojianhui"})

# A region's own bodies: (id suffix, short name suffix, full name suffix, national counterpart).
LOCAL_AGENCIES = (
    ("zhijianju", "质监局", "质量技术监督局", "zhijianzongju"),
    ("fazhangaigewei", "发展改革委", "发展和改革委员会", "fazhangaigewei"),
    ("jingxinwei", "经济信息委", "经济和信息化委员会", "gongyehexinxihuabu"),
    ("kejiting", "科技厅", "科学技术厅", "kejibu"),
    ("shangwuting", "商务厅", "商务厅", "shangwubu"),
    ("nongyeting", "农业厅", "农业厅", "nongyebu"),
    ("gongshangju", "工商局", "工商行政管理局", "gongshangzongju"),
    ("shiyaojianju", "食品药品监管局", "食品药品监督管理局", "shipinyaopinjianguanzongju"),
    ("rensheting", "人力资源社会保障厅", "人力资源和社会保障厅", "renliziyuanshehuibaozhangbu"),
    ("jiaoyuting", "教育厅", "教育厅", "jiaoyubu"),
    ("shichangjianguanju", "市场监管局", "市场监督管理局", "shichangjianguanzongju"),
)
LOCAL_BEFORE_REFORM = frozenset({"zhijianju", "gongshangju", "shiyaojianju"})
LOCAL_AFTER_REFORM = frozenset({"shichangjianguanju"})

# Campaign names are made of two real-sounding halves, each with its pinyin, so
# ids follow the rule of the real registry (质检利剑 → zhijian-lijian).
CAMPAIGN_HEADS = (
    ("红盾", "hongdun"), ("质检", "zhijian"), ("蓝天", "lantian"), ("清风", "qingfeng"),
    ("春雷", "chunlei"), ("铁拳", "tiequan"), ("净网", "jingwang"), ("金盾", "jindun"),
    ("亮剑", "liangjian"), ("护苗", "humiao"), ("百城", "baicheng"), ("千企", "qianqi"),
)
CAMPAIGN_TAILS = (
    ("利剑", "lijian", "enforcement"), ("护农", "hunong", "enforcement"),
    ("网剑", "wangjian", "enforcement"), ("维权", "weiquan", "enforcement"),
    ("清源", "qingyuan", "enforcement"), ("护航", "huhang", "enforcement"),
    ("扬帆", "yangfan", "promotion"), ("攻坚", "gongjian", "enforcement"),
    ("守护", "shouhu", "enforcement"), ("提质", "tizhi", "promotion"),
    ("筑基", "zhuji", "training"), ("领跑", "lingpao", "promotion"),
)
CAMPAIGN_COUNT = 48
CAMPAIGN_SHARE = 0.12
"""Share of measures that mention a campaign."""
CAMPAIGN_KINDS_ZH = {"enforcement": "执法", "promotion": "质量提升", "training": "培训"}
NON_CAMPAIGNS = ("蚂蚁搬家", "舌尖上的安全", "一带一路", "信用中国")

NATIONAL_TITLES = (
    "贯彻实施质量发展纲要{year}年行动计划",
    "质量品牌提升{year}年工作要点",
    "消费品标准和质量提升规划（{year}—{end}年）",
    "关于开展质量提升行动的指导意见",
    "关于加强质量认证体系建设促进全面质量管理的实施意见",
    "国家标准化体系建设发展规划（{year}—{end}年）",
)
NUMERALS = "一二三四五六七八九"

_SENTENCE_END = re.compile(r"(?<=[。；！？])")
_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[．.、])")
_PART_LINE = re.compile(r"^[一二三四五六七八九十]+、([^。，,；]{4,30})$")
_RESPONSIBILITY = re.compile(r"[（(][^（）()]*(?:负责|协助|配合)[^（）()]*[)）]?$")
_QUOTES = re.compile("[“”\"‘’「」『』]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters only Traditional text uses: the 2023 capture is Traditional and the
# synthetic corpus declares every source Simplified.
_TRADITIONAL_ONLY = frozenset("國質標們這為組織遊戶與會發時實對經關業體變區過當點據")


@dataclass(frozen=True)
class SentencePool:
    """Real sentences to build synthetic text from, in a fixed order."""

    sentences: tuple[str, ...]
    """Whole sentences ending in 。 or ；, no quotation marks (those would look like campaigns)."""
    headings: tuple[str, ...]
    """Short sentences ending in 。, used as measure headings."""
    part_headings: tuple[str, ...]
    """Headings of parts and groups, without terminal punctuation."""


def write_synthetic_corpus(measures: int, out: Path, seed: int = 0, sentences_from: Path | None = None) -> int:
    """Write a synthetic data folder of exactly `measures` measures into `out`; returns the exit status.

    `out` is replaced whole (written beside it, then swapped in), but only if it
    is empty or was written by synth before: a real data folder is never removed.
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise GeneratorError(
            f"{out}: folder exists and was not written by synth (choose an empty or new folder for --out)"
        )
    pool = read_sentence_pool(sentences_from or PROJECT_DATA)
    files = synthesize(measures, pool, seed=seed)
    write_tree(files, out)
    plans = sum(1 for name in files if name.startswith("plans/"))
    print(f"synth: {measures} measures in {plans} plans written to {out} (seed {seed})")
    return 0


def read_sentence_pool(data_dir: Path) -> SentencePool:
    """Sentences of the structured plans in `data_dir`/plans, else of the raw sources."""
    data_dir = Path(data_dir)
    texts, headings, parts = _texts_from_plans(data_dir / "plans")
    if len(texts) < 20:
        texts, headings, parts = _texts_from_sources(data_dir / "sources")
    sentences = _unique(s for text in texts for s in split_sentences(text))
    headings = _unique(h for h in headings if _usable(h) and len(h) <= 24)
    if len(headings) < 10:
        headings = _unique(s for s in sentences if len(s) <= 24 and s.endswith("。"))
    parts = _unique(
        p.strip().rstrip("。") for p in parts
        if _CJK.search(p) and len(p) <= 30 and not _QUOTES.search(p) and not _TRADITIONAL_ONLY.intersection(p)
    )
    if len(sentences) < 20 or len(headings) < 5 or len(parts) < 3:
        raise GeneratorError(
            f"{data_dir}: too few usable sentences for a synthetic corpus "
            "(it needs data/plans/*.yaml or the raw captures in data/sources/)"
        )
    return SentencePool(tuple(sentences), tuple(headings), tuple(parts))


def split_sentences(text: str) -> list[str]:
    """The usable sentences of a measure's text: whole, no quotation marks, balanced brackets."""
    text = "".join(text.split())
    text = _RESPONSIBILITY.sub("", _LABEL.sub("", text))
    return [s for s in _SENTENCE_END.split(text) if _usable(s) and s[-1] in "。；！？"]


def _usable(sentence: str) -> bool:
    return (
        8 <= len(sentence) <= 160
        and _CJK.search(sentence) is not None
        and not _QUOTES.search(sentence)
        and sentence.count("（") == sentence.count("）")
        and sentence.count("(") == sentence.count(")")
        and not any(char in sentence for char in _TRADITIONAL_ONLY)
    )


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def _texts_from_plans(plans_dir: Path) -> tuple[list[str], list[str], list[str]]:
    texts: list[str] = []
    headings: list[str] = []
    parts: list[str] = []
    for path in sorted(plans_dir.glob("*.yaml")) if plans_dir.is_dir() else ():
        try:
            plan = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # a plan being edited is skipped; the others give enough text
        stack = list(reversed((plan or {}).get("nodes") or []))
        while stack:
            node = stack.pop()
            heading = node.get("heading_simplified") or node.get("heading") or ""
            if node.get("kind") == "measure":
                texts.append(node.get("text_simplified") or node.get("text") or "")
                headings.append(heading)
            else:
                parts.append(heading)
            stack.extend(reversed(node.get("children") or []))
    return texts, headings, parts


def _texts_from_sources(sources_dir: Path) -> tuple[list[str], list[str], list[str]]:
    texts: list[str] = []
    headings: list[str] = []
    parts: list[str] = []
    for path in sorted(sources_dir.glob("*.txt")) if sources_dir.is_dir() else ():
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        if _TRADITIONAL_ONLY.intersection(text):
            continue
        for line in text.splitlines():
            line = "".join(line.split())
            part = _PART_LINE.match(line)
            if part:
                parts.append(part.group(1))
            elif _LABEL.match(line) and "。" in line:
                sentences = split_sentences(line)
                if sentences:
                    headings.append(sentences[0])
                texts.append(line)
            elif len(line) > 40:
                texts.append(line)
    return texts, headings, parts


def synthesize(measures: int, pool: SentencePool, seed: int = 0) -> dict[str, bytes]:
    """The files of a synthetic data folder (path relative to it → bytes); pure, no I/O."""
    if measures < 1:
        raise GeneratorError(f"--measures {measures}: a corpus needs at least one measure (use 1 or more)")
    return _Synthesizer(pool, random.Random(seed)).files(measures)


class _Synthesizer:
    """Draws one corpus; every random choice goes through `self.rng` in a fixed order."""

    def __init__(self, pool: SentencePool, rng: random.Random):
        self.pool = pool
        self.rng = rng
        self.campaigns = self._campaign_pool()
        self.mentions: dict[str, tuple[int, list[str]]] = {}
        self.regions_used: list[tuple[str, str, str, str | None, str | None]] = []
        self.serials: dict[int, int] = {}
        self.ids: set[str] = set()

    def files(self, measures: int) -> dict[str, bytes]:
        sizes = self._plan_sizes(measures)
        regions = self._region_order()
        files: dict[str, bytes] = {}
        nationals: list[dict] = []
        for index, size in enumerate(sizes):
            year = FIRST_YEAR + index * min(YEARS, len(sizes)) // len(sizes)
            national = index == 0 or self.rng.random() < NATIONAL_SHARE
            if national:
                plan = self._national_plan(year)
                nationals.append(plan)
            else:
                region = regions[(index - len(nationals)) % len(regions)]
                if region not in self.regions_used:
                    self.regions_used.append(region)
                implemented = self.rng.choice(nationals[-5:])
                plan = self._local_plan(year, region, implemented)
            plan["nodes"], lines = self._hierarchy(plan, size)
            source_text = self._source_text(plan, lines)
            data = source_text.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()
            source_file = f"{index:03d}_{digest[:16]}.txt"
            plan["source"] = {
                "file": source_file,
                "sha256": digest,
                "script": "simplified",
                "encoding": "utf-8",
                "lines": [1, source_text.count("\n")],
            }
            files[f"sources/{source_file}"] = data
            files[f"plans/{plan['id']}.yaml"] = _dump(_ordered_plan(plan))
        files["agencies.yaml"] = _dump(self._agencies())
        files["campaigns.yaml"] = _dump(self._campaign_registry())
        files["non_campaigns.yaml"] = _dump(list(NON_CAMPAIGNS))
        files["alignments.yaml"] = b"[]\n"
        files["redirects.yaml"] = b"[]\n"
        files[MARKER] = f"synthetic corpus: {measures} measures, {len(sizes)} plans\n".encode()
        return files

    # --- the shape of the corpus

    def _plan_sizes(self, measures: int) -> list[int]:
        sizes: list[int] = []
        remaining = measures
        while remaining > 0:
            size = self.rng.randint(MIN_MEASURES, MAX_MEASURES)
            if remaining <= MAX_MEASURES:
                size = remaining
            elif remaining - size < MIN_MEASURES:
                size = remaining - MIN_MEASURES
            sizes.append(size)
            remaining -= size
        return sizes

    def _region_order(self) -> list[tuple[str, str, str, str | None, str | None]]:
        """(name, id, level, doc prefix, its pinyin) of every region, in a seeded order."""
        regions = [(name, rid, "provincial", abbr, abbr_pinyin) for name, rid, abbr, abbr_pinyin in PROVINCES]
        regions += [(name, rid, "municipal", None, None) for name, rid in CITIES]
        self.rng.shuffle(regions)
        return regions

    def _serial(self, year: int) -> int:
        # One counter per year across all issuers keeps every doc-number id unique.
        self.serials[year] = self.serials.get(year, 0) + self.rng.randint(1, 9)
        return self.serials[year]

    def _unique_id(self, base: str) -> str:
        plan_id, n = base, 2
        while plan_id in self.ids:
            plan_id, n = f"{base}-{n}", n + 1
        self.ids.add(plan_id)
        return plan_id

    def _dates(self, year: int) -> tuple[dict, dict]:
        month, day = self.rng.randint(1, 11), self.rng.randint(1, 28)
        later = min(day + self.rng.randint(3, 25), 28)
        return _date(year, month, day), _date(year, month + (later <= day), later)

    def _national_plan(self, year: int) -> dict:
        issuer = self.rng.choice(("国务院办公厅", "国务院办公厅", "国务院"))
        prefix, prefix_id = ("国办发", "guobanfa") if issuer == "国务院办公厅" else ("国发", "guofa")
        serial = self._serial(year)
        title = self.rng.choice(NATIONAL_TITLES).format(year=year, end=year + 4)
        written, published = self._dates(year)
        return {
            "id": self._unique_id(f"{prefix_id}-{year}-{serial}"),
            "title": title,
            "full_title": f"{issuer}关于印发{title}的通知",
            "doc_number": f"{prefix}〔{year}〕{serial}号",
            "issuers": [issuer],
            "level": "national",
            "region": None,
            "year": year,
            "date_written": written,
            "date_published": published,
            "implements": None,
            "preamble": self._paragraph(2, 3)[:-1] + "，制定本行动计划。",
            "region_prefix": None,
        }

    def _local_plan(self, year: int, region: tuple, implemented: dict) -> dict:
        name, region_id, level, abbr, abbr_pinyin = region
        issuer = f"{name}人民政府办公厅"
        title = f"{name}贯彻实施{implemented['title']}的实施方案"
        if abbr:
            serial = self._serial(year)
            doc_number = f"{abbr}政办〔{year}〕{serial}号"
            plan_id = self._unique_id(f"{abbr_pinyin}zhengban-{year}-{serial}")
        else:
            doc_number = None
            plan_id = self._unique_id(f"{region_id}-{year}-zhiliang-tisheng-shishi-fangan")
        written, published = self._dates(year)
        reference = f"《{implemented['title']}》"
        if implemented["doc_number"]:
            reference += f"（{implemented['doc_number']}）"
        return {
            "id": plan_id,
            "title": title,
            "full_title": f"{issuer}关于印发{title}的通知",
            "doc_number": doc_number,
            "issuers": [issuer],
            "level": level,
            "region": name,
            "year": year,
            "date_written": written,
            "date_published": published,
            "implements": implemented["id"],
            "preamble": f"根据{reference}要求，结合本地实际，制定本方案。" + self._paragraph(1, 2),
            "region_prefix": "市" if name.endswith("市") else "区" if name.endswith("区") else "省",
            "region_id": region_id,
            "implemented_measures": implemented["measure_texts"],
        }

    def _hierarchy(self, plan: dict, size: int) -> tuple[list[dict], list[str]]:
        """The plan's nodes holding exactly `size` measures, and their source lines in order."""
        plan["measure_texts"] = []
        shape = self.rng.choice(("numbered", "numbered", "grouped", "tasks")) if size >= 6 else "numbered"
        lines: list[str] = []
        if shape == "grouped":
            nodes = self._grouped(plan, size, lines)
        elif shape == "tasks":
            nodes = self._tasks(plan, size, lines)
        else:
            nodes = self._numbered(plan, size, lines)
        return nodes, lines

    def _split(self, total: int, parts: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, total), parts - 1)) if parts > 1 else []
        return [b - a for a, b in zip([0] + cuts, cuts + [total])]

    def _numbered(self, plan: dict, size: int, lines: list[str]) -> list[dict]:
        # 国办发〔2016〕18号: parts 一、 over measures （一）… numbered through the plan.
        nodes, number = [], 0
        for part_no, count in enumerate(self._split(size, max(1, min(6, size // 4))), start=1):
            part = self._part("part", _chinese(part_no) + "、", part_no, lines)
            children = []
            for _ in range(count):
                number += 1
                label = f"（{_chinese(number)}）"
                children.append(self._measure(plan, f"{plan['id']}/{number:02d}", label, number, lines))
            nodes.append(dict(part, children=children))
        return nodes

    def _grouped(self, plan: dict, size: int, lines: list[str]) -> list[dict]:
        # Chongqing: parts 一、, groups （一） that are only headings, items 1． numbered through.
        nodes, number, group_no = [], 0, 0
        for part_no, count in enumerate(self._split(size, max(1, min(5, size // 6))), start=1):
            part = self._part("part", _chinese(part_no) + "、", part_no, lines)
            groups = []
            for group_size in self._split(count, max(1, min(4, count // 2))):
                group_no += 1
                group = self._part("group", f"（{_chinese(group_no)}）", group_no, lines, terminal="。")
                items = []
                for _ in range(group_size):
                    number += 1
                    items.append(self._measure(plan, f"{plan['id']}/{number:02d}", f"{number}．", number, lines))
                groups.append(dict(group, children=items))
            nodes.append(dict(part, children=groups))
        return nodes

    def _tasks(self, plan: dict, size: int, lines: list[str]) -> list[dict]:
        # 国办发〔2016〕68号: part 一 with a few measures, part 二 with tasks (numbered
        # again from （一）) whose unnumbered sub-tasks are measures too.
        first = min(3, size // 4)
        part1 = self._part("part", "一、", 1, lines)
        children = [
            self._measure(plan, f"{plan['id']}/1-{n:02d}", f"（{_chinese(n)}）", n, lines)
            for n in range(1, first + 1)
        ]
        nodes = [dict(part1, children=children)]
        part2 = self._part("part", "二、", 2, lines)
        tasks, remaining, task_no = [], size - first, 0
        while remaining > 0:
            task_no += 1
            subtasks = min(remaining - 1, self.rng.randint(0, 4))
            task_id = f"{plan['id']}/2-{task_no:02d}"
            task = self._measure(plan, task_id, f"（{_chinese(task_no)}）", task_no, lines)
            subs = [self._measure(plan, f"{task_id}-{n:02d}", "", n, lines) for n in range(1, subtasks + 1)]
            tasks.append(dict(task, children=subs))
            remaining -= 1 + subtasks
        nodes.append(dict(part2, children=tasks))
        return nodes

    def _part(self, kind: str, label: str, ordinal: int, lines: list[str], terminal: str = "") -> dict:
        heading = self.rng.choice(self.pool.part_headings) + terminal
        lines.append(label + heading)
        line = len(lines)
        return {"kind": kind, "label": label, "ordinal": ordinal, "heading": heading, "text": "",
                "lines": [line, line]}

    def _measure(self, plan: dict, measure_id: str, label: str, ordinal: int, lines: list[str]) -> dict:
        heading = self.rng.choice(self.pool.headings)
        sentences = self._sentences(1, 4)
        if plan.get("implemented_measures") and self.rng.random() < 0.75:
            # A local measure carries out a national one: it repeats some of its sentences.
            borrowed = self.rng.choice(plan["implemented_measures"])
            sentences = self.rng.sample(borrowed, min(len(borrowed), self.rng.randint(1, 3))) + sentences[:2]
        # Recorded before a campaign is added: a local measure borrowing these
        # sentences must not quote a campaign it does not list.
        plan["measure_texts"].append(list(sentences))
        campaigns = []
        if self.rng.random() < CAMPAIGN_SHARE:
            written, sentence = self._mention(plan["year"])
            sentences.insert(self.rng.randrange(len(sentences) + 1), sentence)
            campaigns.append(written)
        text = "".join(sentences)
        if text.endswith("；"):
            text = text[:-1] + "。"
        agencies, responsibility = self._responsibility(plan)
        lines.append(label + heading + text + responsibility)
        line = len(lines)
        return {
            "kind": "measure",
            "id": measure_id,
            "label": label,
            "ordinal": ordinal,
            "heading": heading,
            "text": text,
            "responsibility": responsibility,
            "agencies": agencies,
            "campaigns": campaigns,
            "lines": [line, line],
        }

    def _sentences(self, low: int, high: int) -> list[str]:
        return [self.rng.choice(self.pool.sentences) for _ in range(self.rng.randint(low, high))]

    def _paragraph(self, low: int, high: int) -> str:
        text = "".join(self._sentences(low, high))
        return text[:-1] + "。" if text.endswith("；") else text

    # --- agencies and campaigns

    def _era_agencies(self, year: int) -> list[tuple[str, str]]:
        """(id, name) of the national bodies a plan of `year` can name."""
        return [
            (aid, name)
            for aid, name, _, successor in NATIONAL_AGENCIES
            if (successor is None or year < REFORM_YEAR) and (aid not in CREATED_BY_REFORM or year >= REFORM_YEAR)
        ]

    def _responsibility(self, plan: dict) -> tuple[list[dict], str]:
        year = plan["year"]
        if plan["region_prefix"] is None:
            choices = self._era_agencies(year)
            collective = NATIONAL_COLLECTIVE
        else:
            prefix, region_id = plan["region_prefix"], plan["region_id"]
            choices = [
                (f"{region_id}-{suffix}", prefix + name)
                for suffix, name, _, _ in LOCAL_AGENCIES
                if not (suffix in LOCAL_BEFORE_REFORM and year >= REFORM_YEAR)
                and not (suffix in LOCAL_AFTER_REFORM and year < REFORM_YEAR)
            ]
            collective = (f"{region_id}-zhiliang-gongzuo-lingdaoxiaozu-chengyuandanwei",
                          f"{prefix}质量工作领导小组成员单位")
        named = self.rng.sample(choices, self.rng.randint(1, 4))
        style = self.rng.random()
        if style < 0.5:
            refs = [{"id": aid, "name": name, "role": "lead"} for aid, name in named]
            return refs, f"（{'、'.join(name for _, name in named)}按职责分工负责）"
        leads, assists = named[:1], named[1:]
        if style < 0.7 or not assists:
            assists = assists + [collective]
        refs = [{"id": aid, "name": name, "role": "lead"} for aid, name in leads]
        refs += [{"id": aid, "name": name, "role": "assisting"} for aid, name in assists]
        verb = self.rng.choice(("协助", "配合"))
        lead_names = "、".join(name for _, name in leads)
        return refs, f"（{lead_names}负责，{'、'.join(name for _, name in assists)}{verb}）"

    def _agencies(self) -> list[dict]:
        agencies = [
            {"id": aid, "name": name, "full_name": full, "level": "national", "region": None, "aliases": [],
             "national_counterpart": None, "successor": successor, "collective": False}
            for aid, name, full, successor in NATIONAL_AGENCIES
        ]
        agencies.append({"id": NATIONAL_COLLECTIVE[0], "name": NATIONAL_COLLECTIVE[1],
                         "full_name": NATIONAL_COLLECTIVE[1], "level": "national", "region": None,
                         "aliases": [], "national_counterpart": None, "successor": None, "collective": True})
        for name, region_id, level, _, _ in self.regions_used:
            prefix = "市" if name.endswith("市") else "区" if name.endswith("区") else "省"
            for suffix, short, full, counterpart in LOCAL_AGENCIES:
                successor = f"{region_id}-shichangjianguanju" if suffix in LOCAL_BEFORE_REFORM else None
                agencies.append({
                    "id": f"{region_id}-{suffix}", "name": name + short, "full_name": name + full,
                    "level": level, "region": name, "aliases": [prefix + short],
                    "national_counterpart": counterpart, "successor": successor, "collective": False,
                })
            agencies.append({
                "id": f"{region_id}-zhiliang-gongzuo-lingdaoxiaozu-chengyuandanwei",
                "name": f"{name}质量工作领导小组成员单位", "full_name": f"{name}质量工作领导小组成员单位",
                "level": level, "region": name, "aliases": [f"{prefix}质量工作领导小组成员单位"],
                "national_counterpart": NATIONAL_COLLECTIVE[0], "successor": None, "collective": True,
            })
        return agencies

    def _campaign_pool(self) -> list[tuple[str, str, str]]:
        pairs = [(h + t, f"{hp}-{tp}", kind) for h, hp in CAMPAIGN_HEADS for t, tp, kind in CAMPAIGN_TAILS]
        self.rng.shuffle(pairs)
        return pairs[:CAMPAIGN_COUNT]

    def _mention(self, year: int) -> tuple[dict, str]:
        name, campaign_id, _ = self.rng.choice(self.campaigns)
        if self.rng.random() < 0.3:
            written = f"{year}{name}专项行动"
            sentence = f"组织开展“{written}”，严厉打击质量违法行为。"
        else:
            written = name
            sentence = self.rng.choice((
                f"深入开展“{name}”行动。",
                f"持续推进“{name}”专项行动，加大执法力度。",
                f"组织实施“{name}”行动，形成长效机制。",
            ))
        first, variants = self.mentions.get(campaign_id, (year, []))
        if written not in variants:
            variants.append(written)
        self.mentions[campaign_id] = (min(first, year), variants)
        return {"id": campaign_id, "name": written}, sentence

    def _campaign_registry(self) -> list[dict]:
        registry = []
        for name, campaign_id, kind in sorted(self.campaigns, key=lambda c: c[1]):
            if campaign_id not in self.mentions:
                continue  # the registry lists only campaigns the corpus mentions
            first, variants = self.mentions[campaign_id]
            registry.append({
                "id": campaign_id, "name": name, "kind": kind, "first_year": first,
                "variants": [name] + sorted(v for v in variants if v != name),
                "description": f"以“{name}”为名的{CAMPAIGN_KINDS_ZH[kind]}专项行动（合成数据）。",
            })
        return registry

    # --- the verbatim source

    def _source_text(self, plan: dict, body: list[str]) -> str:
        """The capture the plan was 'ingested' from: header, preamble, provisions, closing."""
        plan["closing"] = self._paragraph(1, 2)
        head = [plan["full_title"], plan["doc_number"] or "", "", plan["title"], plan["preamble"]]
        offset = len(head)
        for node in plan["nodes"]:
            _shift_lines(node, offset)
        tail = [plan["closing"], plan["issuers"][0], plan["date_written"]["printed"]]
        return "\n".join(head + body + tail) + "\n"


def _shift_lines(node: dict, offset: int) -> None:
    node["lines"] = [node["lines"][0] + offset, node["lines"][1] + offset]
    for child in node.get("children", ()):
        _shift_lines(child, offset)


def _ordered_plan(plan: dict) -> dict:
    """The plan's fields in the order of docs/data-format.md, generator-only keys dropped."""
    return {
        "id": plan["id"],
        "title": plan["title"],
        "title_as_printed": None,
        "full_title": plan["full_title"],
        "doc_number": plan["doc_number"],
        "issuers": plan["issuers"],
        "level": plan["level"],
        "region": plan["region"],
        "year": plan["year"],
        "date_written": plan["date_written"],
        "date_published": plan["date_published"],
        "date_effective": None,
        "subject": SUBJECT,
        "implements": plan["implements"],
        "forwards": None,
        "incomplete": False,
        "incomplete_note": None,
        "source": plan["source"],
        "furniture": [],
        "preamble": plan["preamble"],
        "closing": plan["closing"],
        "nodes": [_ordered_node(node) for node in plan["nodes"]],
    }


def _ordered_node(node: dict) -> dict:
    ordered = {"kind": node["kind"]}
    if node["kind"] == "measure":
        ordered["id"] = node["id"]
    ordered.update(label=node["label"], ordinal=node["ordinal"], heading=node["heading"], text=node["text"])
    if node["kind"] == "measure":
        ordered.update(responsibility=node["responsibility"], agencies=node["agencies"],
                       campaigns=node["campaigns"])
    ordered["lines"] = node["lines"]
    ordered["children"] = [_ordered_node(child) for child in node.get("children", ())]
    return ordered


def _date(year: int, month: int, day: int) -> dict:
    return {"printed": f"{year}年{month:02d}月{day:02d}日", "iso": f"{year}-{month:02d}-{day:02d}"}


def _chinese(number: int) -> str:
    """一 … 九十九, as plans number their parts and measures."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return NUMERALS[ones - 1]
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return head + "十" + (NUMERALS[ones - 1] if ones else "")


def _dump(data) -> bytes:
    # The C dumper keeps 10,000 measures to a second or two; block style as editors write it.
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/synth.py", description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        return write_synthetic_corpus(args.measures, args.out, seed=args.seed)
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
