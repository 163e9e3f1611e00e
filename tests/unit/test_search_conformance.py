"""One table of the search text rules, reproduced by the Python index and by search.js.

tests/unit/search_conformance.json holds, for each sample text, its
normalised and squeezed forms, its index and query tokens, their FNV-1a
hashes and shards, and examples of the id encoding. The index builder
(generator/search/text.py) and the browser's script
(generator/assets/search/search.js, run under the machine's Node) must both
give every value of it; a change to either that the other does not make
fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.search.text import Normaliser, decode_ids, encode_ids, fold_map, index_tokens, query_tokens, token_shard

ROOT = Path(__file__).resolve().parents[2]
TABLE_FILE = Path(__file__).with_name("search_conformance.json")
SEARCH_JS = ROOT / "generator" / "assets" / "search" / "search.js"
TABLE = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
ROWS = TABLE["rows"]

RUNNER_JS = Path(__file__).with_name("search_conformance.js")
# The shipped search.js exports its text rules when there is no document.
NODE_RUNNER = """
const [run, rules] = [require(process.argv[1]), require(process.argv[2])];
const table = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(run(rules, table)));
"""


def fold() -> dict[str, str]:
    return dict(zip(TABLE["fold"][0], TABLE["fold"][1], strict=True))


def test_the_table_covers_the_cases_that_matter():
    texts = {row["text"] for row in ROWS}
    # Traditional input, a document number in its three typed forms, full-width
    # digits, a compatibility character, a supplementary-plane ideograph, a
    # lower-casing that yields two code points, and a one-character query.
    for needed in ("質檢利劍", "国办发〔2016〕18号", "18号", "国办发2016 18", "２０１６红盾网剑（专项）",
                   "ﬁ Café déjà-vu", "\U00020000\U00020001", "İstanbul", "质"):
        assert needed in texts, needed
    assert any(row["query_tokens"] == [] for row in ROWS)


def test_the_fold_table_is_opencc_t2s_for_the_characters_of_the_table():
    """The table's fold entries are what the build derives from OpenCC's data."""
    derived = fold_map("".join(row["text"] for row in ROWS))
    assert derived == fold()
    # Traditional characters whose Simplified form is in the corpus are folded
    # even when the corpus never writes them (髮 → 发 because 发 occurs).
    assert derived["劍"] == "剑" and derived["髮"] == "发"


@pytest.mark.parametrize("row", ROWS, ids=[row["text"] for row in ROWS])
def test_python_reproduces_the_row(row):
    normaliser = Normaliser(fold())
    assert normaliser.normalise(row["text"]) == row["normalised"]
    assert normaliser.squeeze(row["text"]) == row["squeezed"]
    assert sorted(index_tokens(row["squeezed"])) == row["index_tokens"]
    assert query_tokens(row["squeezed"]) == row["query_tokens"]
    assert {token: token_shard(token, 2**32) for token in row["query_tokens"]} == row["fnv1a"]
    assert {token: token_shard(token, TABLE["shard_count"]) for token in row["query_tokens"]} == row["shards"]


def test_python_reproduces_the_id_encoding():
    for ids, encoded in TABLE["ids"]:
        assert encode_ids(ids) == encoded
        assert decode_ids(encoded) == ids


@pytest.fixture(scope="module")
def node_results() -> dict:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "the conformance test runs search.js under Node (apt-get install nodejs)"
    result = subprocess.run(
        [node, "-e", NODE_RUNNER, str(RUNNER_JS), str(SEARCH_JS)],
        input=TABLE_FILE.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("number", range(len(ROWS)), ids=[row["text"] for row in ROWS])
def test_search_js_reproduces_the_row(node_results, number):
    row, computed = ROWS[number], node_results["rows"][number]
    for column in ("normalised", "squeezed", "query_tokens", "fnv1a", "shards"):
        assert computed[column] == row[column], (row["text"], column)


def test_search_js_reproduces_the_id_decoding(node_results):
    assert node_results["ids"] == [ids for ids, _ in TABLE["ids"]]
