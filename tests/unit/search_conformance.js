// Runs the text rules of search.js over search_conformance.json and returns
// what they compute, for the Python tests to compare with the table. Loaded
// by Node (tests/unit/test_search_conformance.py) and inside a Chromium Web
// Worker (tests/integration/test_search.py), so both engines run the table.
function runSearchConformance(rules, table) {
  rules.setFolds(table.fold[0], table.fold[1]);
  var rows = table.rows.map(function (row) {
    var squeezed = rules.squeeze(row.text);
    var tokens = rules.queryTokens(squeezed);
    var fnv1a = {};
    var shards = {};
    tokens.forEach(function (token) {
      fnv1a[token] = rules.tokenShard(token, 4294967296);
      shards[token] = rules.tokenShard(token, table.shard_count);
    });
    return { normalised: rules.normalise(row.text), squeezed: squeezed, query_tokens: tokens, fnv1a: fnv1a, shards: shards };
  });
  var ids = table.ids.map(function (pair) { return rules.decodeIds(pair[1]); });
  return { rows: rows, ids: ids };
}
if (typeof module !== "undefined") module.exports = runSearchConformance;
