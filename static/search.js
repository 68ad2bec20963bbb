// Trellis search: runs the site's search in the browser from search/index.json.
//
// The index format is documented in src/search/index.rs. Tokenizing (fold, tokens,
// stem, STOP) mirrors src/search/tokenize.rs and ranking (run and what it calls)
// mirrors src/search/query.rs step for step, with the same constants: the Rust side
// is what tests/relevance.rs judges, so change both or neither.
//
// A classic script, not an ES module: Chromium refuses module scripts on file://
// pages, and the site must work opened from disk. Every string from the index is
// put into the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var STOP = " a an and are as at be by for from has have in into is it its of on or that the this to was were will with ";
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var MAX_WEIGHT = 15, WEAK_WEIGHT = 6, MAX_PREFIX = 50, PREFIX = 0.8, FUZZY = [1, 0.6, 0.4];
  var EXACT_TITLE = 2, TITLE_PHRASE = 1.5, STATUSES = ["open", "upcoming", "in-progress", "closed"];
  var STATUS_NAMES = { open: "Open", upcoming: "Upcoming", "in-progress": "In progress", closed: "Closed" };
  var FACETS = [["term", "Term"], ["status", "Status"], ["program", "Program"], ["org", "Organization"], ["skill", "Skill"],
    ["mentor", "Mentor"], ["difficulty", "Difficulty"], ["size", "Size"]];
  var PAGE = 20, FACET_SHOWN = 8;
  // How long typing must pause before the URL follows the box: Chromium ignores
  // a page that changes its URL more than about 200 times in ten seconds, after
  // which the URL would no longer match the box and a reload would lose the query.
  var URL_PAUSE = 300;

  var script = document.currentScript;
  var base = script.src.replace(/search\.js([?#].*)?$/, "");
  var fromDisk = location.protocol === "file:";
  var $ = function (id) { return document.getElementById(id); };
  var box = $("search-q"), app = $("search-app");
  if (!box || !app) return;

  // names[facet][number]: a facet value; numbers[facet]: the reverse.
  // single[facet]: each document's value number (-1 for none), for one-valued facets;
  // multi[facet]: each document's list, for skills and mentors.
  var ix, W, N, postingsCache = {}, titleTerms = [], single = [], multi = [], names = [], numbers = [];
  var digitOf = new Int8Array(128);
  for (var i = 0; i < 64; i++) digitOf[DIGITS.charCodeAt(i)] = i;
  var state = { q: "", sel: {} }, shown = PAGE, expanded = {}, urlTimer = 0;

  // ---- Tokenizing: the twin of tokenize.rs ----

  function fold(ch) {
    if (ch < "\x80") return ch.toLowerCase();
    var f = ix.fold[ch];
    if (f === undefined) f = ch.normalize("NFKD").replace(/[^\x00-\x7f]/g, "") || " ";
    return f.toLowerCase();
  }

  // Tokens with their [start, end) in the original text, for highlighting. The
  // lookahead refuses "+" and "#" too, so "c++b" gives "c" and "b", as in Rust.
  var TOKEN = /[a-z0-9]+(?:[+#]+(?![+#a-z0-9]))?/g;
  function tokens(text) {
    var folded = text, spans = null, out = [], m;
    if (/[^\x00-\x7f]/.test(text)) {
      folded = "";
      spans = [];
      var at = 0;
      for (var ch of text) {
        var f = fold(ch);
        folded += f;
        for (var k = 0; k < f.length; k++) spans.push([at, at + ch.length]);
        at += ch.length;
      }
    } else folded = text.toLowerCase();
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(folded))) {
      var s = m.index, e = s + m[0].length;
      out.push({ t: m[0], s: spans ? spans[s][0] : s, e: spans ? spans[e - 1][1] : e });
    }
    return out;
  }

  // The twin of tokenize::slug: idea URLs the index leaves out are derived with it.
  function slug(text) {
    var folded = text.replace(/[^\x00-\x7f]/gu, function (ch) { return ix.fold[ch] !== undefined ? ix.fold[ch] : " "; });
    var out = folded.toLowerCase().replace(/\+/g, "plus").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    var cut = out.slice(0, 80).lastIndexOf("-");
    return out.length > 80 ? out.slice(0, cut < 0 ? 80 : cut) : out;
  }

  function isStop(t) { return STOP.indexOf(" " + t + " ") >= 0; }

  function stem(w) {
    if (w.length < 4 || !/^[a-z]+$/.test(w)) return w;
    if (/ies$/.test(w) && !/[ea]ies$/.test(w)) w = w.slice(0, -3) + "y";
    else if (/s$/.test(w) && !/(us|ss)$/.test(w)) w = w.slice(0, -1);
    var m = /(ing|ed)$/.exec(w);
    if (m) {
      var rest = w.slice(0, m.index), n = rest.length;
      if (n >= 3 && /[aeiouy]/.test(rest)) {
        w = rest;
        if (n >= 4 && w[n - 1] === w[n - 2] && !/[aeiouylsz]/.test(w[n - 1])) w = w.slice(0, -1);
      }
    }
    if (w.length >= 4 && w[w.length - 1] === "e") w = w.slice(0, -1);
    return w;
  }

  function terms(text) {
    return tokens(text).map(function (x) { return x.t; }).filter(function (t) { return !isStop(t); }).map(stem);
  }

  // ---- Ranking: the twin of query.rs ----

  // A term's [documents, weights]: strong ones with their weight digit, then,
  // after ".", weak ones with WEAK_WEIGHT (see encode_postings in index.rs).
  function postings(w) {
    if (postingsCache[w]) return postingsCache[w];
    var s = ix.postings[w], docs = [], weights = [], doc = 0, v = 0, gap = true, weak = false;
    for (var k = 0; k < s.length; k++) {
      if (s[k] === ".") { weak = true; doc = 0; continue; }
      var d = digitOf[s.charCodeAt(k) & 127];
      if (gap) {
        v = v * 32 + (d & 31);
        if (d < 32) {
          doc += v;
          v = 0;
          if (weak) { docs.push(doc); weights.push(WEAK_WEIGHT); } else gap = false;
        }
      } else { docs.push(doc); weights.push(d & 31); gap = true; }
    }
    return (postingsCache[w] = [docs, weights]);
  }

  function lowerBound(x) {
    var lo = 0, hi = W.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (W[m] < x) lo = m + 1; else hi = m; }
    return lo;
  }

  function osa(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) d.push([i]);
    for (j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
        d[i][j] = v;
      }
    }
    return d[a.length][b.length];
  }

  function candidates(tok, prefix) {
    var st = stem(tok), start = lowerBound(st), found = [], k;
    if (W[start] === st) found.push([start, 1]);
    if (prefix) {
      var longer = [];
      for (k = start; k < W.length && W[k].startsWith(st); k++) if (W[k] !== st) longer.push(k);
      longer.sort(function (a, b) { return ix.postings[b].length - ix.postings[a].length || a - b; });
      longer.slice(0, MAX_PREFIX).forEach(function (w) { found.push([w, PREFIX]); });
    }
    var edits = tok.length < 4 ? 0 : tok.length < 8 ? 1 : 2;
    if (found.length || !edits || !st) return found;
    for (k = lowerBound(st[0]); k < W.length && W[k][0] === st[0]; k++) {
      if (Math.abs(W[k].length - st.length) > edits) continue;
      var dist = osa(st, W[k]);
      if (dist <= edits) found.push([k, FUZZY[dist]]);
    }
    return found;
  }

  // A word's matches: the documents, and a score for each (0 where it does not match).
  function wordScores(tok, prefix) {
    var score = new Float64Array(N), docs = [];
    candidates(tok, prefix).forEach(function (c) {
      var p = postings(c[0]), ds = p[0], ws = p[1];
      for (var k = 0; k < ds.length; k++) {
        var d = ds[k], s = c[1] * ws[k] / MAX_WEIGHT;
        if (score[d] === 0) docs.push(d);
        if (s > score[d]) score[d] = s;
      }
    });
    var df = docs.length, idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    for (var k = 0; k < df; k++) score[docs[k]] *= idf;
    return { docs: docs, score: score };
  }

  function intersect(acc, group) {
    var docs = acc.docs.filter(function (d) { return group.score[d] > 0; });
    docs.forEach(function (d) { acc.score[d] += group.score[d]; });
    return { docs: docs, score: acc.score };
  }

  function prefixMode(text) { return !/\s$/.test(text); }

  function matchWords(text) {
    var toks = tokens(text).map(function (x) { return x.t; }), prefix = prefixMode(text);
    var required = [], optional = [], acc = null;
    toks.forEach(function (tok, k) {
      var last = prefix && k === toks.length - 1, stop = isStop(tok);
      if (stop && !last) return;
      (stop ? optional : required).push(wordScores(tok, last));
    });
    required.forEach(function (g) { acc = acc ? intersect(acc, g) : g; });
    optional.forEach(function (g) {
      if (!acc) { if (g.docs.length) acc = g; } else if (acc.docs.some(function (d) { return g.score[d] > 0; })) acc = intersect(acc, g);
    });
    return acc;
  }

  function sequenceAt(hay, at, words, prefix) {
    for (var k = 0; k < words.length; k++) {
      var h = hay[at + k], w = words[k];
      if (h !== w && !(prefix && k === words.length - 1 && h.startsWith(w))) return false;
    }
    return true;
  }

  function phraseBonus(d, words, prefix) {
    var title = titleTerms[d], n = words.length;
    if (title.length === n && sequenceAt(title, 0, words, prefix)) return EXACT_TITLE;
    if (n > 1) for (var at = 0; at + n <= title.length; at++) if (sequenceAt(title, at, words, prefix)) return TITLE_PHRASE;
    return 1;
  }

  // Whether document d has one of the flagged values of facet k; and counting its values.
  function has(k, d, flags) {
    var one = single[k];
    if (one) return one[d] >= 0 && flags[one[d]] === 1;
    for (var v = multi[k][d], j = 0; j < v.length; j++) if (flags[v[j]]) return true;
    return false;
  }

  function count(k, d, counts) {
    var one = single[k];
    if (one) { if (one[d] >= 0) counts[one[d]]++; return; }
    for (var v = multi[k][d], j = 0; j < v.length; j++) counts[v[j]]++;
  }

  // The documents, best first, and per facet the count of each value among the
  // documents every other facet keeps (so a count says what a click would give).
  function run(text, sel) {
    var m = matchWords(text), words = terms(text), prefix = prefixMode(text), hits = [];
    var F = FACETS.length, score = new Float64Array(N), d, k, fail, fails;
    var counts = names.map(function (list) { return new Int32Array(list.length); });
    var chosen = FACETS.map(function (f, k) {
      var picked = sel[f[0]];
      if (!picked || !picked.length) return null;
      var flags = new Uint8Array(names[k].length);
      picked.forEach(function (name) { if (numbers[k].has(name)) flags[numbers[k].get(name)] = 1; });
      return flags;
    });
    var n = m ? m.docs.length : N;
    for (var i = 0; i < n; i++) {
      d = m ? m.docs[i] : i;
      fails = 0;
      for (k = 0; k < F && fails < 2; k++) if (chosen[k] && !has(k, d, chosen[k])) { fail = k; fails++; }
      if (fails > 1) continue;
      if (fails) { count(fail, d, counts[fail]); continue; }
      for (k = 0; k < F; k++) count(k, d, counts[k]);
      hits.push(d);
      if (m) score[d] = m.score[d] * ix.terms[ix.docs.term[d]].boost * (words.length ? phraseBonus(d, words, prefix) : 1);
    }
    hits.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return { hits: hits, counts: counts, matched: highlightSet(text) };
  }

  // The index terms the query matched, to mark in titles and snippets.
  function highlightSet(text) {
    var set = new Set(), toks = tokens(text).map(function (x) { return x.t; }), prefix = prefixMode(text);
    toks.forEach(function (tok, k) {
      if (!isStop(tok) || (prefix && k === toks.length - 1)) candidates(tok, prefix && k === toks.length - 1).forEach(function (c) { set.add(W[c[0]]); });
    });
    set.firsts = Array.from(set, function (w) { return w[0]; }).join("");
    return set;
  }

  // ---- The page ----

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function marked(tag, cls, text, matched) {
    var e = el(tag, cls), at = 0;
    tokens(text).forEach(function (x) {
      // Stemming keeps the first letter: most tokens are ruled out without it.
      if (matched.firsts.indexOf(x.t[0]) < 0 || isStop(x.t) || !matched.has(stem(x.t))) return;
      e.append(text.slice(at, x.s), el("mark", "", text.slice(x.s, x.e)));
      at = x.e;
    });
    e.append(text.slice(at));
    return e;
  }

  function url(d) {
    var D = ix.docs;
    return D.url[d] || "ideas/" + ix.terms[D.term[d]].id + "/" + slug(ix.orgs[D.org[d]]) + "/" + slug(D.title[d]) + "/";
  }

  function href(d) { return base + url(d) + (fromDisk ? "index.html" : ""); }

  function result(d, matched) {
    var docs = ix.docs, term = ix.terms[docs.term[d]];
    var li = el("li", "card search-result");
    var h = el("h2", "card-title"), a = marked("a", "", docs.title[d], matched);
    a.href = href(d);
    h.append(a);
    var meta = el("p", "card-meta", [ix.orgs[docs.org[d]]].concat(docs.sub[d] ? [docs.sub[d]] : []).join(" › ") + " · " + term.title + " ");
    meta.append(el("span", "status status-" + term.status, STATUS_NAMES[term.status] || term.status));
    li.append(h, meta);
    if (docs.snippet[d]) li.append(marked("p", "card-summary", docs.snippet[d], matched));
    if (docs.skills[d].length) li.append(marked("p", "search-skills", docs.skills[d].map(function (s) { return ix.skills[s]; }).join(", "), matched));
    return li;
  }

  function label(k, n) {
    var v = names[k][n];
    if (FACETS[k][0] === "term") return ix.terms[n].title;
    return FACETS[k][0] === "status" ? STATUS_NAMES[v] || v : v;
  }

  // One facet's checkboxes: values with a count, and selected ones even without.
  function facetBox(k, counts) {
    var name = FACETS[k][0], chosen = state.sel[name] || [], entries = [];
    counts.forEach(function (c, n) { if (c || chosen.indexOf(names[k][n]) >= 0) entries.push([n, c]); });
    if (!entries.length) return null;
    // Terms newest first, as the index lists them; other values by count.
    if (name !== "term") entries.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    var all = expanded[name] || entries.length <= FACET_SHOWN + 2;
    var box = el("fieldset", "search-facet"), list = el("ul");
    box.append(el("legend", "", FACETS[k][1]));
    entries.forEach(function (e, n) {
      var on = chosen.indexOf(names[k][e[0]]) >= 0;
      if (!all && n >= FACET_SHOWN && !on) return;
      var li = el("li"), lab = el("label"), input = el("input");
      input.type = "checkbox";
      input.checked = on;
      input.dataset.facet = name;
      input.value = names[k][e[0]];
      lab.append(input, " " + label(k, e[0]) + " ", el("span", "count", String(e[1])));
      li.append(lab);
      list.append(li);
    });
    box.append(list);
    if (!all) {
      var more = el("button", "search-more-values", "Show all " + entries.length);
      more.type = "button";
      more.dataset.expand = name;
      box.append(more);
    }
    return box;
  }

  function nearSkills(text) {
    var toks = tokens(text).map(function (x) { return x.t; }).filter(function (t) { return t.length > 1 && !isStop(t); });
    var scored = ix.skills.map(function (s, k) {
      var name = tokens(s).map(function (x) { return x.t; }).join(" "), best = 9;
      toks.forEach(function (t) {
        var d = name.startsWith(t) || t.startsWith(name) ? 0 : osa(t, name);
        best = Math.min(best, d);
      });
      return [s, best, popularity[k]];
    }).filter(function (x) { return x[1] <= 3; });
    if (!scored.length) scored = ix.skills.map(function (s, k) { return [s, 9, popularity[k]]; });
    scored.sort(function (a, b) { return a[1] - b[1] || b[2] - a[2]; });
    return scored.slice(0, 6).map(function (x) { return x[0]; });
  }

  var popularity = [];

  function render(keepFocus) {
    var r = run(state.q, state.sel), list = $("search-results"), facets = $("search-facets");
    var focused = document.activeElement, focusKey = focused && focused.dataset && (focused.dataset.facet ? focused.dataset.facet + "\n" + focused.value : focused.dataset.expand);
    list.replaceChildren();
    r.hits.slice(0, shown).forEach(function (d) { list.append(result(d, r.matched)); });
    var n = r.hits.length;
    $("search-count").textContent = n === 0 ? "No ideas match." : n + (n === 1 ? " idea" : " ideas") + (n > shown ? ", showing " + shown + "." : ".");
    $("search-more").hidden = n <= shown;
    facets.replaceChildren();
    FACETS.forEach(function (f, k) { var b = facetBox(k, r.counts[k]); if (b) facets.append(b); });
    var suggest = $("search-suggest");
    suggest.replaceChildren();
    suggest.hidden = n > 0;
    if (!n) {
      suggest.append(el("p", "", "Try one of these skills:"));
      var chips = el("ul", "chips");
      nearSkills(state.q).forEach(function (s) {
        var b = el("button", "chip", s);
        b.type = "button";
        b.dataset.skill = s;
        var li = el("li");
        li.append(b);
        chips.append(li);
      });
      suggest.append(chips);
    }
    if (keepFocus && focusKey) {
      var again = Array.prototype.find.call(facets.querySelectorAll("input, button"), function (e) {
        return (e.dataset.facet ? e.dataset.facet + "\n" + e.value : e.dataset.expand) === focusKey;
      });
      if (again) again.focus();
    }
  }

  function readUrl() {
    var p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.sel = {};
    FACETS.forEach(function (f) { var v = p.getAll(f[0]); if (v.length) state.sel[f[0]] = v; });
    box.value = state.q;
    shown = PAGE;
  }

  function writeUrl(push) {
    clearTimeout(urlTimer);
    urlTimer = 0;
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    FACETS.forEach(function (f) { (state.sel[f[0]] || []).forEach(function (v) { p.append(f[0], v); }); });
    var query = p.toString(), url = location.pathname + (query ? "?" + query : "");
    try { history[push ? "pushState" : "replaceState"](null, "", url); } catch (e) { /* file:// may refuse */ }
  }

  // A typed query reaches the URL once typing pauses (see URL_PAUSE)...
  function writeUrlSoon() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { writeUrl(false); }, URL_PAUSE);
  }

  // ...or at once when the box loses focus, or before a facet adds a history
  // entry: the entry it leaves keeps the query typed in it.
  function flushUrl() { if (urlTimer) writeUrl(false); }

  function toggle(name, value, on) {
    flushUrl();
    var list = (state.sel[name] || []).filter(function (v) { return v !== value; });
    if (on) list.push(value);
    if (list.length) state.sel[name] = list; else delete state.sel[name];
    shown = PAGE;
    writeUrl(true);
    render(true);
  }

  function results() { return Array.prototype.slice.call($("search-results").querySelectorAll(".card-title a")); }

  function start(index) {
    ix = index;
    var prev = "";
    W = ix.words.split(",").filter(Boolean).map(function (e) { return (prev = prev.slice(0, digitOf[e.charCodeAt(0)]) + e.slice(1)); });
    N = ix.docs.title.length;
    var d = ix.docs, status = d.term.map(function (t) { return STATUSES.indexOf(ix.terms[t].status); });
    // Programs in the order of their newest term; a document's is its term's.
    var programs = [];
    ix.terms.forEach(function (t) { if (t.program && programs.indexOf(t.program) < 0) programs.push(t.program); });
    var program = d.term.map(function (t) { return programs.indexOf(ix.terms[t].program || ""); });
    names = [ix.terms.map(function (t) { return t.id; }), STATUSES, programs, ix.orgs, ix.skills, ix.mentors, ix.difficulties, ix.sizes];
    numbers = names.map(function (list) { return new Map(list.map(function (v, n) { return [v, n]; })); });
    single = [d.term, status, program, d.org, null, null, d.difficulty, d.size].map(function (c) { return c && Int32Array.from(c); });
    multi = [null, null, null, null, d.skills, d.mentors, null, null];
    popularity = ix.skills.map(function () { return 0; });
    d.skills.forEach(function (list) { list.forEach(function (s) { popularity[s]++; }); });
    titleTerms = d.title.map(terms);
    // For the browser tests and the benchmark: the ranking without the page.
    window.trellisSearch = { query: function (q, sel) { return run(q, sel || {}).hits; }, url: url };
    app.hidden = false;
    $("search-fallback").hidden = true;
    readUrl();
    render();

    box.addEventListener("input", function () {
      state.q = box.value;
      shown = PAGE;
      writeUrlSoon();
      render();
    });
    box.addEventListener("blur", flushUrl);
    box.form.addEventListener("submit", function (e) { e.preventDefault(); writeUrl(false); });
    // The URL now names the state: a write still waiting would overwrite it.
    window.addEventListener("popstate", function () { clearTimeout(urlTimer); urlTimer = 0; readUrl(); render(); });
    app.addEventListener("change", function (e) {
      var t = e.target;
      if (t.dataset.facet) toggle(t.dataset.facet, t.value, t.checked);
    });
    app.addEventListener("click", function (e) {
      var t = e.target;
      if (t.dataset.expand) { expanded[t.dataset.expand] = true; render(true); }
      if (t.dataset.skill) { flushUrl(); state.q = box.value = ""; toggle("skill", t.dataset.skill, true); }
      if (t.id === "search-more") { shown += PAGE; render(); }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, links = results(), at = links.indexOf(t);
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
        e.preventDefault();
        box.focus();
        box.select();
      } else if (e.key === "ArrowDown" && (t === box || at >= 0) && links[at + 1]) {
        e.preventDefault();
        links[at + 1].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        (links[at - 1] || box).focus();
      }
    });
  }

  function load() {
    return new Promise(function (ok, fail) {
      var viaScript = function () {
        var s = document.createElement("script");
        s.src = base + "search/index.js";
        s.onload = function () { if (window.trellisSearchIndex) ok(window.trellisSearchIndex); else fail(); };
        s.onerror = fail;
        document.head.append(s);
      };
      if (fromDisk || !window.fetch) return viaScript();
      fetch(base + "search/index.json").then(function (r) { return r.ok ? r.json() : Promise.reject(); }).then(ok, viaScript);
    });
  }

  load().then(start, function () {
    $("search-fallback").prepend(el("p", "", "The search index could not be loaded."));
  });
})();
