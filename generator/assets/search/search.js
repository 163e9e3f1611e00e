/*
 * Chinese search for the static site, light enough for a phone.
 *
 * The index (written by generator/search/build.py into <edition>/search-index/) holds
 * CJK character bigrams and whole Latin words, sharded by a hash of the token;
 * a query fetches meta.json, the shards of its tokens, then the page-store
 * chunks of its best candidates, checks the exact substring and shows results
 * in Material's own search markup. The text rules and the query steps are the
 * same as generator/search/text.py and query.py: change them together.
 * tests/unit/search_conformance.json is the table both must reproduce; under
 * Node (no document) this file exports its text rules for that test.
 */
(function () {
  "use strict";

  /* --- text rules (text.py) --- */

  var CJK = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var WORD = "0-9a-z\\u00c0-\\u024f";
  var IS_CJK = new RegExp("^[" + CJK + "]$", "u");
  var IS_WORD = new RegExp("^[" + WORD + "]$", "u");
  var SEGMENTS = new RegExp("[" + CJK + "]+|[" + WORD + "]+", "gu");

  var folds = new Map();
  var normalCache = new Map();

  // The Traditional → Simplified table of meta.json: two strings, character i
  // of the first folds to character i of the second.
  function setFolds(from, to) {
    var targets = Array.from(to);
    folds = new Map();
    normalCache = new Map();
    Array.from(from).forEach(function (ch, i) { folds.set(ch, targets[i]); });
  }

  function normalChar(ch) {
    var cached = normalCache.get(ch);
    if (cached === undefined) {
      cached = "";
      for (var c of ch.normalize("NFKC").toLowerCase()) cached += folds.get(c) || c;
      normalCache.set(ch, cached);
    }
    return cached;
  }

  function normalise(text) {
    var out = "";
    for (var ch of text) out += normalChar(ch);
    return out;
  }

  // The squeezed form of `text`, with, for every code unit of it, the range
  // of the original text it came from (to highlight the match in place).
  function squeeze(text) {
    var out = [];
    var starts = [];
    var ends = [];
    var points = 0;
    var last = null;
    var gap = false;
    var index = 0;
    for (var ch of text) {
      var start = index;
      index += ch.length;
      for (var c of normalChar(ch)) {
        var kind = IS_CJK.test(c) ? "c" : IS_WORD.test(c) ? "w" : null;
        if (kind === null) {
          if (last !== null) gap = true;
          continue;
        }
        if (gap && kind === "w" && last === "w") {
          out.push(" ");
          starts.push(start);
          ends.push(start);
          points += 1;
        }
        gap = false;
        last = kind;
        out.push(c);
        points += 1;
        for (var k = 0; k < c.length; k++) {
          starts.push(start);
          ends.push(index);
        }
      }
    }
    return { text: out.join(""), starts: starts, ends: ends, points: points };
  }

  function isCjk(segment) {
    return IS_CJK.test(String.fromCodePoint(segment.codePointAt(0)));
  }

  function queryTokens(squeezed) {
    var segments = squeezed.match(SEGMENTS) || [];
    var tokens = [];
    segments.forEach(function (segment, position) {
      if (isCjk(segment)) {
        var chars = Array.from(segment);
        for (var start = 0; start < chars.length - 1; start++) tokens.push(chars[start] + chars[start + 1]);
      } else if (position > 0 && position < segments.length - 1) {
        tokens.push(segment);
      }
    });
    if (!tokens.length) tokens = segments.filter(function (segment) { return !isCjk(segment); });
    return spread(Array.from(new Set(tokens)), MAX_QUERY_TOKENS);
  }

  // At most `limit` tokens, evenly spaced, the first and the last included
  // (text.py's spread: each token costs a postings shard).
  var MAX_QUERY_TOKENS = 6;

  function spread(tokens, limit) {
    if (tokens.length <= limit) return tokens;
    var chosen = [];
    for (var position = 0; position < limit; position++) {
      chosen.push(tokens[Math.floor((position * (tokens.length - 1)) / (limit - 1))]);
    }
    return chosen;
  }

  function tokenShard(token, shards) {
    var value = 2166136261;
    for (var ch of token) {
      value ^= ch.codePointAt(0);
      value = Math.imul(value, 16777619) >>> 0;
    }
    return value % shards;
  }

  function decodeIds(encoded) {
    var ids = [];
    var current = -1;
    if (!encoded) return ids;
    encoded.split(",").forEach(function (part) {
      current += parseInt(part, 36);
      ids.push(current);
    });
    return ids;
  }

  function intersect(lists) {
    if (!lists.length) return [];
    var ordered = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var common = ordered[0];
    for (var i = 1; i < ordered.length; i++) {
      var members = new Set(ordered[i]);
      common = common.filter(function (doc) { return members.has(doc); });
    }
    return common;
  }

  function countIn(haystack, needle) {
    var count = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1) {
      count += 1;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return count;
  }


  var rules = {
    setFolds: setFolds,
    normalise: normalise,
    squeeze: function (text) { return squeeze(text).text; },
    queryTokens: queryTokens,
    tokenShard: tokenShard,
    decodeIds: decodeIds
  };
  if (typeof document === "undefined") {
    // Node or a Web Worker: the text rules alone, for the conformance tests.
    if (typeof module !== "undefined") module.exports = rules;
    else self.qpSearchRules = rules;
    return;
  }

  /* --- the browser side --- */

  var script = document.currentScript;
  // This file is <edition>/assets/search/search.js, so the edition's root is
  // two levels up: correct under /2016/, /latest/ or a plain build alike.
  var ROOT = new URL("../../", script.src);
  var INDEX = new URL("search-index/", ROOT);
  var PAGE_SIZE = 10;

  var files = new Map();
  var meta = null;

  function fetchJSON(name) {
    if (!files.has(name)) {
      var request = fetch(new URL(name, INDEX)).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      });
      request.catch(function () { files.delete(name); });
      files.set(name, request);
    }
    return files.get(name);
  }

  function loadMeta() {
    return fetchJSON("meta.json").then(function (value) {
      if (!meta) {
        meta = value;
        meta.starts = decodeIds(meta.chunks);
        setFolds(meta.fold[0], meta.fold[1]);
      }
      return meta;
    });
  }

  /* --- query steps (query.py) --- */

  // A search in progress: candidates in priority order, verified page by page.
  function Search(query) {
    this.query = query;
    this.squeezed = squeeze(query).text;
    this.tokens = queryTokens(this.squeezed);
    this.order = [];
    this.position = 0;
    this.hits = [];
    this.byPage = new Map();
    this.loading = false;
  }

  Search.prototype.start = function () {
    var self = this;
    if (!self.tokens.length) return Promise.resolve(self);
    return Promise.all(self.tokens.map(function (token) {
      return fetchJSON("p/" + tokenShard(token, meta.shards) + ".json").then(function (shard) {
        return Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : null;
      });
    })).then(function (entries) {
      if (entries.some(function (entry) { return entry === null; })) return self;
      // Pieces whose title or names hold every token first, then those whose text does.
      var inTitles = intersect(entries.map(function (entry) { return decodeIds(entry[1] || ""); }));
      var titled = new Set(inTitles);
      var inTexts = intersect(entries.map(function (entry) { return decodeIds(entry[0]); }));
      self.order = inTitles.concat(inTexts.filter(function (doc) { return !titled.has(doc); }));
      return self;
    });
  };

  Object.defineProperty(Search.prototype, "done", {
    get: function () { return this.position >= this.order.length; }
  });

  // One screenful: the next PAGE_SIZE candidates, and the next, until one of
  // them is a hit (or none are left), ranked among themselves; a page's later
  // pieces only add to its count of occurrences.
  Search.prototype.more = function () {
    var self = this;
    var page = [];
    function round() {
      if (self.done || page.length) {
        page.sort(function (a, b) {
          return (b.titleHit - a.titleHit) || (b.boost - a.boost) || (b.occurrences - a.occurrences) ||
            (a.length - b.length) || (a.doc - b.doc);
        });
        self.hits = self.hits.concat(page);
        return page;
      }
      var batch = self.order.slice(self.position, self.position + PAGE_SIZE);
      self.position += batch.length;
      return Promise.all(batch.map(function (doc) {
        var chunk = chunkOf(doc);
        return fetchJSON("s/" + chunk + ".json").then(function (records) {
          return verify(self.squeezed, doc, records[doc - meta.starts[chunk]]);
        });
      })).then(function (hits) {
        hits.forEach(function (hit) {
          if (!hit) return;
          var known = self.byPage.get(hit.page);
          if (known) {
            known.occurrences += hit.occurrences;
          } else {
            self.byPage.set(hit.page, hit);
            page.push(hit);
          }
        });
        return round();
      });
    }
    return Promise.resolve().then(round);
  };

  function chunkOf(doc) {
    var low = 0;
    var high = meta.starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (meta.starts[middle] <= doc) low = middle; else high = middle - 1;
    }
    return low;
  }

  function titleHit(squeezed, title) {
    return title === squeezed ? 2 : title.indexOf(squeezed) !== -1 ? 1 : 0;
  }

  // record: [url, title, context, names (one a line), text, boost], as build.py writes it.
  function verify(squeezed, doc, record) {
    var body = squeeze(record[4]);
    var occurrences = countIn(body.text, squeezed);
    var best = 0;
    [record[1]].concat(record[3].split("\n")).forEach(function (name) {
      best = Math.max(best, titleHit(squeezed, squeeze(name).text));
    });
    if (!occurrences && !best) return null;
    return {
      doc: doc,
      url: record[0],
      page: record[0].split("#")[0],
      title: record[1],
      context: record[2],
      text: record[4],
      titleHit: best,
      boost: record[5],
      occurrences: occurrences,
      length: body.points
    };
  }

  /* --- rendering in Material's markup --- */

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // `text` with every occurrence of `squeezed` inside [from, to) marked.
  function highlight(text, squeezed, from, to) {
    var form = squeeze(text);
    var html = "";
    var cursor = from;
    var at = form.text.indexOf(squeezed);
    while (at !== -1) {
      var start = form.starts[at];
      var end = form.ends[at + squeezed.length - 1];
      if (start >= to) break;
      if (start >= cursor && end <= to) {
        html += escapeHtml(text.slice(cursor, start)) + "<mark>" + escapeHtml(text.slice(start, end)) + "</mark>";
        cursor = end;
      }
      at = form.text.indexOf(squeezed, at + squeezed.length);
    }
    return html + escapeHtml(text.slice(cursor, to));
  }

  function excerpt(text, title, squeezed) {
    // A page's first piece starts with its heading, already shown above.
    if (text.slice(0, title.length + 1) === title + "\n") text = text.slice(title.length + 1);
    var form = squeeze(text);
    var at = form.text.indexOf(squeezed);
    var from = 0;
    var to = Math.min(text.length, 140);
    if (at !== -1) {
      from = Math.max(0, form.starts[at] - 24);
      to = Math.min(text.length, form.ends[at + squeezed.length - 1] + 110);
    }
    var body = highlight(text, squeezed, from, to).replace(/\n/g, " ");
    return (from > 0 ? "…" : "") + body + (to < text.length ? "…" : "");
  }

  function renderHit(hit, squeezed) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    item.innerHTML =
      '<a class="md-search-result__link" tabindex="-1" href="' + escapeHtml(new URL(hit.url, ROOT).href) + '">' +
      '<article class="md-search-result__article md-search-result__article--document md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      "<h1>" + highlight(hit.title, squeezed, 0, hit.title.length) + "</h1>" +
      // Which document and region the page belongs to (a measure's plan).
      '<p class="qp-search-result__context">' + highlight(hit.context, squeezed, 0, hit.context.length) + "</p>" +
      "<p>" + excerpt(hit.text, hit.title, squeezed) + "</p>" +
      "</article></a>";
    return item;
  }

  function translations() {
    var config = document.getElementById("__config");
    try {
      return (config && JSON.parse(config.textContent).translations) || {};
    } catch (error) {
      return {};
    }
  }

  function setup(root) {
    var input = root.querySelector(".md-search__input");
    var form = root.querySelector(".md-search__form");
    var metaLine = root.querySelector(".md-search-result__meta");
    var list = root.querySelector(".md-search-result__list");
    var scroller = root.querySelector(".md-search__scrollwrap");
    var toggle = document.getElementById("__search");
    var words = translations();
    var placeholder = words["search.result.placeholder"] || "键入以开始搜索";
    var current = null;
    var timer = null;

    function say(text) { metaLine.textContent = text; }

    function failed(error) { return "搜索索引未能加载，请稍后再试（" + error.message + "）"; }

    // Marks which query the list shows, for tests and assistive tools alike.
    function rendered(search) {
      root.setAttribute("data-qp-rendered", search.query);
      root.dispatchEvent(new CustomEvent("qp-search-results", { detail: { query: search.query, hits: search.hits.length, done: search.done } }));
    }

    function count(search) {
      var n = search.hits.length;
      if (!n) return words["search.result.none"] || "没有找到符合条件的结果";
      var label = n === 1 && search.done ? (words["search.result.one"] || "找到 1 个符合条件的结果")
        : (words["search.result.other"] || "# 个符合条件的结果").replace("#", search.done ? n : n + "+");
      return label;
    }

    function showMore(search) {
      // One screenful at a time per search; a stale search finishing late
      // neither renders nor unblocks the current one.
      if (search.loading || search !== current || search.done) return;
      search.loading = true;
      search.more().then(function (page) {
        search.loading = false;
        if (search !== current) return;
        page.forEach(function (hit) { list.appendChild(renderHit(hit, search.squeezed)); });
        say(count(search));
        rendered(search);
        // Fill a tall screen; never when the list is not laid out (a closed
        // dialog measures 0 and would pull in every candidate).
        var visible = scroller.clientHeight > 0;
        if (!search.done && visible && scroller.scrollHeight <= scroller.clientHeight + 16) showMore(search);
      }, function (error) {
        search.loading = false;
        if (search === current) say(failed(error));
      });
    }

    function run() {
      var query = input.value.trim();
      list.innerHTML = "";
      root.removeAttribute("data-qp-rendered");
      current = null;
      if (!query) { say(placeholder); return; }
      var search = null;
      loadMeta().then(function () {
        search = new Search(query);
        current = search;
        if (!search.tokens.length) {
          say("请至少输入两个汉字或一个完整的词");
          rendered(search);
          return null;
        }
        return search.start();
      }).then(function (started) {
        if (!started || started !== current) return;
        if (started.done) {
          say(count(started));
          rendered(started);
        } else {
          showMore(started);
        }
      }, function (error) { say(failed(error)); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    // On a wide screen the input sits in the header: focusing it opens the
    // dialog, as in Material. The index's meta file is fetched ahead.
    input.addEventListener("focus", function () {
      if (toggle && !toggle.checked) toggle.checked = true;
      loadMeta().catch(function () {});
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector(".md-search-result__link");
      if (first) first.click();
    });
    scroller.addEventListener("scroll", function () {
      if (current && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 200) showMore(current);
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest("a") && toggle) toggle.checked = false;
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { run(); input.focus(); }, 0);
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
      });
    }
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
      if (toggle && toggle.checked && event.key === "Escape") {
        toggle.checked = false;
        input.blur();
      } else if (toggle && toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        // Up and down walk the results, as in Material; Enter follows the link.
        var links = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
        var at = links.indexOf(document.activeElement);
        var next = event.key === "ArrowDown" ? at + 1 : at - 1;
        event.preventDefault();
        if (next < 0) input.focus();
        else if (next < links.length) links[next].focus();
      } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        if (toggle) toggle.checked = true;
        input.focus();
      }
    });
    say(placeholder);
  }

  // Exposed for tests and for the curious: run a whole query and return the
  // path of every page found; the text rules, to check them against text.py.
  window.qpSearch = {
    squeeze: function (text) { return loadMeta().then(function () { return squeeze(text).text; }); },
    queryTokens: queryTokens,
    tokenShard: tokenShard,
    search: function (query) {
      return loadMeta().then(function () {
        var search = new Search(query);
        return search.start();
      }).then(function (search) {
        function drain() {
          if (search.done) return search.hits;
          return search.more().then(drain);
        }
        return drain();
      }).then(function (hits) {
        return hits.map(function (hit) { return hit.page; });
      });
    }
  };

  function init() {
    var root = document.querySelector("[data-qp-search]");
    if (root && !root.hasAttribute("data-qp-ready")) {
      root.setAttribute("data-qp-ready", "");
      setup(root);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
