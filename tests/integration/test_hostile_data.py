"""Hostile text in every string field of every kind of data file, through one real `mkdocs build --strict` (issue 14).

The fields come from the data schema (tests/hostile_corpus.py walks
generator/schema/*.json): a field added to a schema is filled with the payload
of markup, script, `javascript:` links, Markdown, template syntax, `</title>`,
`]]>`, `-->`, quotes and entities, or listed with the reason it cannot hold one,
or these tests fail. The hostile site is compared page by page with the site of
the same data holding plain text of the same shape: no element or attribute
the clean build lacks, every payload shown as its characters wherever the
clean text shows, no link or image from data. tests/browser/test_browser_hostile_data.py
opens the same build in Chromium.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hostile_corpus import (
    CONSTRAINED,
    CORPUS,
    SCHEMA_DIR,
    clean_corpus,
    clean_payload,
    free_fields,
    hostile_corpus,
    hostile_payload,
    markers,
    payload_markers_in,
    string_fields,
)
from theme_sites import ROOT, build_once

from generator.build import build_edition
from generator.load import load_dataset
from generator.write import MARKER, write_tree

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "content"}
"""Attributes whose value a browser may load or follow (content: <meta http-equiv=refresh>)."""
SHOWN_FIELDS = {"plan:title", "node:heading", "node:text", "node:label", "agencies:[].name", "campaigns:[].name", "plan:preamble"}
"""Fields every build prints somewhere: a test that finds none of them shown has lost its pages."""


# -- the field list, from the schema -----------------------------------------


def test_every_string_field_of_the_schema_gets_the_payload_or_a_reason(tmp_path):
    fields = string_fields()
    assert SHOWN_FIELDS <= set(fields), "the schema walk missed fields it must find"
    filled = hostile_corpus(tmp_path / "data")
    missed = [field for field in free_fields() if not filled.get(field)]
    assert not missed, f"string fields no value of the hostile data holds (add a SEEDS entry in tests/hostile_corpus.py): {missed}"
    unexplained = sorted(field for field, constrained in fields.items() if constrained and field not in CONSTRAINED)
    assert not unexplained, f"constrained string fields without a reason in CONSTRAINED: {unexplained}"
    stale = sorted(set(CONSTRAINED) - set(fields))
    assert not stale, f"CONSTRAINED names fields the schema no longer has: {stale}"


def test_a_string_field_added_to_a_schema_is_found(tmp_path):
    schemas = tmp_path / "schema"
    schemas.mkdir()
    for path in SCHEMA_DIR.glob("*.json"):
        (schemas / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    agencies = json.loads((schemas / "agencies.schema.json").read_text(encoding="utf-8"))
    agencies["items"]["properties"]["motto"] = {"$ref": "defs.schema.json#/$defs/optionalText"}
    agencies["items"]["properties"]["seal"] = {"type": "object", "properties": {"caption": {"type": "string"}}}
    (schemas / "agencies.schema.json").write_text(json.dumps(agencies), encoding="utf-8")
    plan = json.loads((schemas / "plan.schema.json").read_text(encoding="utf-8"))
    plan["$defs"]["node"]["properties"]["note"] = {"type": ["string", "null"]}
    (schemas / "plan.schema.json").write_text(json.dumps(plan), encoding="utf-8")
    found = string_fields(schemas)
    assert {"agencies:[].motto", "agencies:[].seal.caption", "node:note"} <= set(found)
    assert not any(found[field] for field in ("agencies:[].motto", "agencies:[].seal.caption", "node:note"))


def test_the_hostile_data_passes_check(tmp_path):
    hostile_corpus(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(tmp_path / "data"), "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_payload_and_its_clean_form_have_one_shape():
    for marker in markers().values():
        hostile, clean = hostile_payload(marker), clean_payload(marker)
        assert len(hostile) == len(clean) and hostile.count("\n") == clean.count("\n")
        assert not set(clean) & set("<>&\"'`[](){}*_#!=|$:;"), clean


# -- every path the build writes lies inside its output -----------------------

HOSTILE_IDS = {
    "guobanfa-2016-18": "index",  # a plan whose folder is named like the page of its section
    "zhijianzongju": "-".join(["a1b2c3d4"] * 22)[:199].rstrip("-"),  # near the 200 characters an id may have
    "zhijian-lijian": "data",  # a campaign named like the open data folder
    "nat.txt": "_..txt",  # a source name of dots, which the pattern allows
}


def test_every_path_the_build_writes_lies_inside_its_output(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in CORPUS.rglob("*"):
        relative = path.relative_to(CORPUS).as_posix()
        for old, new in HOSTILE_IDS.items():
            relative = relative.replace(old, new)
        target = data / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".yaml":
            text = path.read_text(encoding="utf-8")
            for old, new in HOSTILE_IDS.items():
                text = text.replace(old, new)
            target.write_text(text, encoding="utf-8")
        else:
            target.write_bytes(path.read_bytes())
    output = build_edition(load_dataset(data))  # load refuses what check refuses: these ids are valid
    assert any(HOSTILE_IDS["zhijianzongju"] in path for path in output.files)
    paths = [*output.files, *output.sources, *output.redirects, *output.redirects.values(), *output.page_paths]
    for path in paths:
        parts = path.rstrip("/").split("/")
        assert path and not path.startswith("/") and "\\" not in path, path
        assert all(part not in ("", ".", "..") and len(part.encode()) <= 255 for part in parts), path
    out = tmp_path / "out" / "site"
    write_tree(output.files, out)
    # Beside the files: only the writer's own marker (it claims the folder as an output).
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER)
    assert written == sorted(output.files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"], "the build wrote beside its output"
    for path in out.rglob("*"):
        assert out.resolve() in path.resolve().parents


# -- one hostile build against one clean build --------------------------------


class Page(HTMLParser):
    """One built page: its element and attribute names, its text, its text attributes, its URLs."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.shapes: set[tuple[str, str]] = set()
        self.text: list[str] = []
        self.labels: list[str] = []
        self.urls: set[str] = set()
        self.jsonld: list[str] = []
        self._raw: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.shapes.add((tag, ""))
        for name, value in attrs:
            self.shapes.add((tag, name))
            if name in URL_ATTRIBUTES:
                self.urls.add(value or "")
            elif value:
                self.labels.append(value)
        if tag in ("script", "style"):
            self._raw.append(dict(attrs).get("type") or tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw.pop()

    def handle_data(self, data):
        if not self._raw:
            self.text.append(data)
        elif self._raw[-1] == "application/ld+json":
            self.jsonld.append(data)


def _pages(site: Path) -> dict[str, Page]:
    # A region's id is made from its name, which is free text: the hostile and
    # the clean build name their regions differently, so both are compared
    # under the same placeholder ids, given in the order the plans name them.
    corpus = load_dataset(site.parent / "data").corpus
    regions = dict.fromkeys(plan.region for plan in corpus.plans if plan.region)
    made = corpus.region_ids
    ids = {made[region]: f"region-{index}" for index, region in enumerate(regions)}

    def same_ids(text: str) -> str:
        for made, placeholder in ids.items():
            text = text.replace(f"regions/{made}/", f"regions/{placeholder}/")
        return text

    return {
        same_ids(path.relative_to(site).as_posix()): Page(same_ids(path.read_text(encoding="utf-8")))
        for path in sorted(site.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory) -> dict[str, Page]:
    return _pages(build_once(tmp_path_factory, "hostile-data", hostile_corpus))


@pytest.fixture(scope="module")
def clean_pages(tmp_path_factory) -> dict[str, Page]:
    return _pages(build_once(tmp_path_factory, "hostile-data-clean", clean_corpus))


@pytest.mark.slow
def test_the_hostile_build_makes_the_same_pages(hostile_pages, clean_pages):
    assert len(clean_pages) > 20
    assert sorted(hostile_pages) == sorted(clean_pages)


@pytest.mark.slow
def test_no_element_or_attribute_that_the_clean_build_lacks(hostile_pages, clean_pages):
    for path, page in hostile_pages.items():
        extra = page.shapes - clean_pages[path].shapes
        assert not extra, f"{path}: markup from data: {sorted(extra)}"


@pytest.mark.slow
def test_every_payload_shows_as_its_characters_wherever_the_clean_text_shows(hostile_pages, clean_pages):
    shown: set[str] = set()
    for path, page in hostile_pages.items():
        clean = clean_pages[path]
        for what, hostile_text, clean_text in (
            ("text", page.text, clean.text),
            ("attributes", page.labels, clean.labels),
        ):
            found = payload_markers_in("".join(hostile_text), hostile_payload)
            expected = payload_markers_in("".join(clean_text), clean_payload)
            # Fewer whole payloads than the clean page: one was changed (escaped twice, cut, interpreted).
            assert found == expected, f"{path} ({what}): payloads shown {found}, expected {expected}"
            shown |= set(found)
    assert SHOWN_FIELDS <= shown, f"fields no page shows: {sorted(SHOWN_FIELDS - shown)}"


@pytest.mark.slow
def test_no_link_image_or_script_source_comes_from_data(hostile_pages, clean_pages):
    for path, page in hostile_pages.items():
        hostile_urls = {urlsplit(url)._replace(fragment="").geturl() for url in page.urls}
        clean_urls = {urlsplit(url)._replace(fragment="").geturl() for url in clean_pages[path].urls}
        assert hostile_urls == clean_urls, f"{path}: URLs {sorted(hostile_urls ^ clean_urls)}"
        assert not [url for url in page.urls if "javascript:" in url.lower() or "evil.invalid" in url], path


@pytest.mark.slow
def test_structured_data_holds_the_payload_as_data(hostile_pages):
    plan_title = hostile_payload(markers()["plan:title"])
    seen = 0
    for path, page in hostile_pages.items():
        for block in page.jsonld:
            assert "<" not in block, f"{path}: JSON-LD with a raw '<' could close its <script>"
            described = json.loads(block)
            names = [described.get("name", ""), described.get("isPartOf", {}).get("name", "")]
            seen += any(name.startswith(plan_title) for name in names)
    assert seen > 0, "no JSON-LD names a plan by its hostile title"
