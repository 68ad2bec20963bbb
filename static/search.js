// Trellis search: runs the site's search in the browser from the pieces of its
// index under search/, fetching only those a query needs.
//
// The index format is documented in src/search/pieces.rs. Tokenizing (fold, tokens,
// stem, STOP) mirrors src/search/tokenize.rs and ranking (run and what it calls)
// mirrors src/search/query.rs step for step, with the same constants: the Rust side
// is what tests/relevance.rs judges, so change both or neither.
//
// A classic script, not an ES module: Chromium refuses module scripts on file://
// pages, and the site must work opened from disk; for the same reason each piece
// is a script handing its data to trellisSearchPiece, which a <script> tag can
// load from disk (over HTTP it is fetched and its JSON read).
// Every string from the index is put into the page as text (textContent), never
// as HTML.
//
// Ranking runs in passes: a pass that reaches for a piece not yet loaded notes it
// in `wanted` and goes on with what it has; its answer is thrown away, the pieces
// are loaded, and the pass runs again, until one needs nothing more.
(function () {
  "use strict";
  var STOP = " a an and are as at be by for from has have in into is it its of on or that the this to was were will with ";
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var MAX_WEIGHT = 15, WEAK_WEIGHT = 6, MAX_PREFIX = 50, PREFIX = 0.8, FUZZY = [1, 0.6, 0.4];
  var EXACT_TITLE = 2, TITLE_PHRASE = 1.5, STATUSES = ["open", "upcoming", "in-progress", "closed"];
  var STATUS_NAMES = { open: "Open", upcoming: "Upcoming", "in-progress": "In progress", closed: "Closed" };
  // The facets, in the order the page shows them: the URL parameter, the legend,
  // and where their data comes from: the first three from the head (every
  // document's term), the others from a piece each, `facets/<name>`, with the
  // names of its values and each document's value number (-1 for none) or, with
  // `many`, its list of them. A new facet is one more entry here and one more
  // piece in the index.
  var FACETS = [
    ["term", "Term", function (h) { return h.terms.map(function (t) { return t.id; }); }, function (h, t) { return t; }],
    ["status", "Status", function () { return STATUSES; }, function (h, t) { return STATUSES.indexOf(h.terms[t].status); }],
    ["program", "Program", programsOf, function (h, t, programs) { return programs.indexOf(h.terms[t].program || ""); }],
    ["org", "Organization"],
    ["skill", "Skill", null, null, true],
    ["mentor", "Mentor", null, null, true],
    ["difficulty", "Difficulty"],
    ["size", "Size"]
  ].map(function (f) { return { 0: f[0], 1: f[1], values: f[2], ofTerm: f[3], many: !!f[4] }; });
  // Programs in the order of their newest term; a document's is its term's.
  function programsOf(h) {
    var programs = [];
    h.terms.forEach(function (t) { if (t.program && programs.indexOf(t.program) < 0) programs.push(t.program); });
    return programs;
  }
  var PAGE = 20, FACET_SHOWN = 8;
  // How long typing must pause before the URL follows the box: Chromium ignores
  // a page that changes its URL more than about 200 times in ten seconds, after
  // which the URL would no longer match the box and a reload would lose the query.
  var URL_PAUSE = 300;
  // How long typing must pause before the result count is read out: a screen
  // reader told "12 ideas" on every key would talk over the typing.
  var ANNOUNCE_PAUSE = 1000;
  // How long a piece of the index may take to arrive, in milliseconds.
  var PIECE_TIMEOUT = 20000;

  var script = document.currentScript;
  var base = script.src.replace(/search\.js([?#].*)?$/, "");
  var fromDisk = location.protocol === "file:";
  var $ = function (id) { return document.getElementById(id); };
  var box = $("search-q"), app = $("search-app");
  if (!box || !app) return;

  // head: the index's head piece; N: its number of documents; termOf: each
  // document's term. pieces: every piece loaded, by name; loading: the promise of
  // each piece asked for. wanted: during a pass, the pieces it lacked.
  var head = null, N = 0, termOf = null, pieces = {}, loading = {}, wanted = null, postingsCache = {};
  // names[facet][number]: a facet value; numbers[facet]: the reverse.
  // single[facet]: each document's value number (-1 for none), for one-valued facets;
  // multi[facet]: each document's list, for skills and mentors. Empty until the
  // facet's data is in.
  var single = [], multi = [], names = [], numbers = [], popularity = null;
  var digitOf = new Int8Array(128);
  for (var i = 0; i < 64; i++) digitOf[DIGITS.charCodeAt(i)] = i;
  // opened: the facets a student asked to see, on a site whose facets come on request.
  var state = { q: "", sel: {} }, shown = PAGE, expanded = {}, opened = {}, urlTimer = 0, announceTimer = 0, generation = 0;

  // ---- Pieces ----

  // Every piece calls this as it loads: words and phrase keys are decoded once.
  window.trellisSearchPiece = function (name, data) {
    if (typeof data.words === "string") data.list = frontDecoded(data.words);
    if (typeof data.keys === "string") data.list = frontDecoded(data.keys);
    pieces[name] = data;
  };

  function frontDecoded(text) {
    var prev = "";
    return text.split(",").filter(Boolean).map(function (e) { return (prev = prev.slice(0, digitOf[e.charCodeAt(0)]) + e.slice(1)); });
  }

  // The promise of a piece. Over HTTP it is fetched and its JSON read out of the
  // script (a fetch does not hold back the page's load event, as a script tag
  // does); from disk, where fetch is refused, a script tag runs it.
  function load(name) {
    if (!loading[name]) {
      // The head is checked with the server each time; the other pieces carry
      // its id, so a cache never hands out a piece of another build with it.
      var src = base + "search/" + name + ".js" + (head ? "?v=" + head.id : "");
      loading[name] = new Promise(function (ok, fail) {
        if (fromDisk || !window.fetch) {
          var s = document.createElement("script");
          s.src = src;
          s.onload = function () { if (pieces[name]) ok(); else fail(); };
          s.onerror = fail;
          document.head.append(s);
          return;
        }
        var lead = "trellisSearchPiece(" + JSON.stringify(name) + ",";
        // A piece that does not come, or comes cut short, is asked for once
        // more; one that never answers fails after a while, and is asked for
        // again at the next keystroke, instead of leaving the answer waiting.
        var attempt = function (left) {
          var stop = window.AbortController ? new AbortController() : null;
          setTimeout(function () { if (stop) stop.abort(); }, PIECE_TIMEOUT);
          fetch(src, { signal: stop ? stop.signal : undefined, cache: head ? "default" : "no-cache" }).then(function (r) { return r.ok ? r.text() : Promise.reject(); }).then(function (text) {
            var end = text.lastIndexOf(");");
            if (!text.startsWith(lead) || end < 0) return Promise.reject();
            window.trellisSearchPiece(name, JSON.parse(text.slice(lead.length, end)));
          }).then(ok, function () {
            if (left) setTimeout(function () { attempt(left - 1); }, 250); else fail();
          });
        };
        attempt(1);
      });
      // A piece that failed is asked for again next time.
      loading[name].catch(function () { delete loading[name]; });
    }
    return loading[name];
  }

  // A loaded piece, or null, noting that the pass wants it.
  function piece(name) {
    var p = pieces[name];
    if (!p && wanted) wanted.add(name);
    return p || null;
  }

  // The number of the last entry of a sorted list that is at most x (0 when none is).
  function lastAtMost(list, x) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (list[m] <= x) lo = m + 1; else hi = m; }
    return Math.max(0, lo - 1);
  }

  // ---- Tokenizing: the twin of tokenize.rs ----

  // The twin of tokenize::is_cjk: scripts written without spaces, indexed as pairs.
  var CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff";
  var IS_CJK = new RegExp("[" + CJK + "]");

  function fold(ch) {
    if (ch < "\x80") return ch.toLowerCase();
    if (IS_CJK.test(ch)) return ch;
    var f = head ? head.fold[ch] : undefined;
    if (f === undefined) f = ch.normalize("NFKD").replace(/[^\x00-\x7f]/g, "") || " ";
    return f.toLowerCase();
  }

  // Tokens with their [start, end) in the original text, for highlighting. The
  // lookahead refuses "+" and "#" too, so "c++b" gives "c" and "b", as in Rust.
  // A CJK run gives each pair of neighbours, or its one character.
  var TOKEN = new RegExp("[a-z0-9]+(?:[+#]+(?![+#a-z0-9]))?|[" + CJK + "]+", "g");
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
    var span = function (s, e) { out.push({ t: folded.slice(s, e), s: spans ? spans[s][0] : s, e: spans ? spans[e - 1][1] : e }); };
    while ((m = TOKEN.exec(folded))) {
      var s = m.index, e = s + m[0].length;
      if (!IS_CJK.test(m[0][0]) || e - s === 1) span(s, e);
      else for (var c = s; c + 1 < e; c++) span(c, c + 2);
    }
    return out;
  }

  // The twin of tokenize::slug: idea URLs the index leaves out are derived with it.
  function slug(text) {
    var folded = text.replace(/[^\x00-\x7f]/gu, function (ch) { return head.fold[ch] !== undefined ? head.fold[ch] : " "; });
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

  // ---- The vocabulary, postings and phrase keys, piece by piece ----

  // Words are numbered across pieces: the vocabulary piece of word g is the last
  // one starting at or before it, and so is its postings piece.
  function wordsPiece(k) { return piece("words/" + k); }

  // The number of the first word not before x, or -1 while its piece is missing.
  function lowerBound(x) {
    var p = wordsPiece(lastAtMost(head.words, x));
    if (!p) return -1;
    var W = p.list, lo = 0, hi = W.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (W[m] < x) lo = m + 1; else hi = m; }
    return p.start + lo;
  }

  // Word g, with its piece and place there; null past the last word or while its piece is missing.
  function wordEntry(g) {
    if (g < 0) return null;
    var k = lastAtMost(head.word_starts, g), p = wordsPiece(k);
    if (!p || g - p.start >= p.list.length) return null;
    return { w: p.list[g - p.start], size: p.sizes[g - p.start] };
  }

  function wordAt(g) { var e = wordEntry(g); return e && e.w; }

  // A word's [documents, weights]: strong ones with their weight digit, then,
  // after ".", weak ones with WEAK_WEIGHT (see encode_postings in index.rs).
  function postings(g) {
    if (postingsCache[g]) return postingsCache[g];
    var p = piece("postings/" + lastAtMost(head.postings, g));
    if (!p) return [[], []];
    var s = p.postings[g - p.start], docs = [], weights = [], doc = 0, v = 0, gap = true, weak = false;
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
    return (postingsCache[g] = [docs, weights]);
  }

  // The documents of a phrase key, or, with `prefix`, of every key that begins
  // with it and has no more words: marks[d] = 1 for each.
  function phraseMarks(key, prefix) {
    var marks = new Uint8Array(N), firsts = head.phrases, k = lastAtMost(firsts, key);
    for (; k < firsts.length; k++) {
      var p = piece("phrases/" + k);
      if (!p) break;
      var K = p.list, lo = 0, hi = K.length;
      while (lo < hi) { var m = (lo + hi) >> 1; if (K[m] < key) lo = m + 1; else hi = m; }
      for (; lo < K.length && K[lo].startsWith(key); lo++) {
        if (prefix ? K[lo].indexOf(" ", key.length) >= 0 : K[lo] !== key) continue;
        for (var s = p.docs[lo], doc = 0, v = 0, j = 0; j < s.length; j++) {
          var d = digitOf[s.charCodeAt(j) & 127];
          v = v * 32 + (d & 31);
          if (d < 32) { doc += v; v = 0; marks[doc] = 1; }
        }
      }
      // The keys go on into the next piece only when this one ended among them.
      if (!prefix || lo < K.length || (k + 1 < firsts.length && !firsts[k + 1].startsWith(key))) break;
    }
    return marks;
  }

  // ---- Ranking: the twin of query.rs ----

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
    var st = stem(tok), start = lowerBound(st), found = [], g, e;
    // Without the piece nothing can be said yet, not even that a typo is needed.
    if (start < 0) return found;
    if (wordAt(start) === st) found.push([start, 1]);
    if (prefix) {
      var longer = [];
      for (g = start; (e = wordEntry(g)) && e.w.startsWith(st); g++) if (e.w !== st) longer.push([g, e.size]);
      longer.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      longer.slice(0, MAX_PREFIX).sort(function (a, b) { return a[0] - b[0]; }).forEach(function (w) { found.push([w[0], PREFIX]); });
    }
    var edits = /[^\x00-\x7f]/.test(tok) || tok.length < 4 ? 0 : tok.length < 8 ? 1 : 2;
    if (found.length || !edits || !st) return found;
    for (g = lowerBound(st[0]); (e = wordEntry(g)) && e.w[0] === st[0]; g++) {
      if (Math.abs(e.w.length - st.length) > edits) continue;
      var dist = osa(st, e.w);
      if (dist <= edits) found.push([g, FUZZY[dist]]);
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
    return { docs: docs, score: acc.score, missing: acc.missing };
  }

  function prefixMode(text) { return !/\s$/.test(text); }

  // As match_words in query.rs: the documents with every required word, else those
  // with the most of them ("partial"), each with the bits of the words it lacks;
  // "browse" for an empty query and "none" for one with nothing searchable.
  var MAX_WORDS = 30;
  function matchWords(text) {
    var toks = tokens(text).map(function (x) { return x.t; }), prefix = prefixMode(text);
    if (toks.every(isStop)) return { kind: /\S/.test(text) ? "none" : "browse", docs: [], words: [] };
    var required = [], optional = [], words = [];
    toks.forEach(function (tok, k) {
      var last = prefix && k === toks.length - 1, stop = isStop(tok);
      if (stop && !last) return;
      if (!stop) words.push(tok);
      (stop ? optional : required).push(wordScores(tok, last));
    });
    var score = new Float64Array(N), missing = new Int32Array(N), docs = [], all = (1 << Math.min(required.length, MAX_WORDS)) - 1;
    required.forEach(function (g, w) {
      g.docs.forEach(function (d) {
        if (score[d] === 0 && missing[d] === 0) { docs.push(d); missing[d] = all; }
        score[d] += g.score[d];
        if (w < MAX_WORDS) missing[d] &= ~(1 << w);
      });
    });
    var bits = function (d) { for (var m = missing[d], c = 0; m; m &= m - 1) c++; return c; };
    var most = docs.reduce(function (b, d) { return Math.min(b, bits(d)); }, 99), leftOut = null;
    // Of the sets of that size, the one keeping the earliest words (earlier_words_kept).
    docs.forEach(function (d) {
      var m = missing[d], diff, first;
      if (bits(d) !== most) return;
      if (leftOut === null) { leftOut = m; return; }
      diff = leftOut ^ m;
      first = diff & -diff;
      if (leftOut & first) leftOut = m;
    });
    var acc = { docs: docs.filter(function (d) { return missing[d] === leftOut; }), score: score, missing: missing };
    optional.forEach(function (g) { if (acc.docs.some(function (d) { return g.score[d] > 0; })) acc = intersect(acc, g); });
    acc.kind = most === 0 ? "all" : "partial";
    acc.words = words;
    return acc;
  }

  // As phrase_bonus in query.rs, for every document at once: ×2 where the words
  // are the whole title, ×1.5 where each pair of adjacent words is adjacent in it.
  function phraseBonuses(words, prefix) {
    var n = words.length, exact = phraseMarks("=" + words.join(" "), prefix), pairs = null;
    for (var k = 0; k + 1 < n; k++) {
      var marks = phraseMarks(words[k] + " " + words[k + 1], prefix && k + 2 === n);
      if (pairs) for (var d = 0; d < N; d++) pairs[d] &= marks[d];
      else pairs = marks;
    }
    return function (d) { return exact[d] ? EXACT_TITLE : pairs && pairs[d] ? TITLE_PHRASE : 1; };
  }

  // A facet's data, or null while its piece is missing (the head's facets always have theirs).
  function facetReady(k) {
    if (names[k]) return true;
    var f = FACETS[k], data = f.ofTerm ? null : piece("facets/" + f[0]);
    if (!f.ofTerm && !data) return false;
    if (f.ofTerm) {
      var programs = programsOf(head), byTerm = head.terms.map(function (t, n) { return f.ofTerm(head, n, programs); });
      names[k] = f.values(head);
      single[k] = Int32Array.from(termOf, function (t) { return byTerm[t]; });
    } else {
      names[k] = data.values;
      if (f.many) multi[k] = data.docs; else single[k] = Int32Array.from(data.docs);
    }
    numbers[k] = new Map(names[k].map(function (v, n) { return [v, n]; }));
    return true;
  }

  // Whether a pass should use a facet: always those of the head, and the others
  // on a site whose facets are small, else once a filter of it is in use or the
  // student opened it (which fetches its piece).
  function facetWanted(k, sel) {
    var name = FACETS[k][0];
    return !!FACETS[k].ofTerm || head.eager || opened[name] || (sel[name] || []).length > 0;
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

  // The documents, best first, and per facet whose data is in the count of each
  // value among the documents every other facet keeps (so a count says what a
  // click would give); null counts for a facet not fetched.
  function run(text, sel) {
    var ready = FACETS.map(function (f, k) { return facetWanted(k, sel) && facetReady(k); });
    var found = matchWords(text), kind = found.kind, m = found, words = terms(text), prefix = prefixMode(text), hits = [];
    if (kind === "browse" || kind === "none") m = kind === "none" ? { docs: [] } : null;
    var F = FACETS.length, score = new Float64Array(N), d, k, fail, fails;
    var counts = FACETS.map(function (f, k) { return ready[k] ? new Int32Array(names[k].length) : null; });
    var chosen = FACETS.map(function (f, k) {
      var picked = sel[f[0]];
      if (!picked || !picked.length) return null;
      // A filter whose data is not in yet keeps nothing: this pass is thrown away.
      var flags = new Uint8Array(ready[k] ? names[k].length : 0);
      picked.forEach(function (name) { if (ready[k] && numbers[k].has(name)) flags[numbers[k].get(name)] = 1; });
      return flags;
    });
    var bonus = m && words.length ? phraseBonuses(words, prefix) : null;
    var n = m ? m.docs.length : N;
    for (var i = 0; i < n; i++) {
      d = m ? m.docs[i] : i;
      fails = 0;
      for (k = 0; k < F && fails < 2; k++) if (chosen[k] && !(ready[k] && has(k, d, chosen[k]))) { fail = k; fails++; }
      if (fails > 1) continue;
      if (fails) { if (ready[fail]) count(fail, d, counts[fail]); continue; }
      for (k = 0; k < F; k++) if (ready[k]) count(k, d, counts[k]);
      hits.push(d);
      if (m) score[d] = m.score[d] * head.terms[termOf[d]].boost * (bonus ? bonus(d) : 1);
    }
    hits.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return { hits: hits, counts: counts, matched: highlightSet(text), kind: kind, words: found.words, missing: m && m.missing };
  }

  // The index terms the query matched, to mark in titles and snippets.
  function highlightSet(text) {
    var set = new Set(), toks = tokens(text).map(function (x) { return x.t; }), prefix = prefixMode(text);
    toks.forEach(function (tok, k) {
      if (!isStop(tok) || (prefix && k === toks.length - 1)) candidates(tok, prefix && k === toks.length - 1).forEach(function (c) { set.add(wordAt(c[0])); });
    });
    set.firsts = Array.from(set, function (w) { return w[0]; }).join("");
    return set;
  }

  // What a result shows of document d, or null while its piece is missing.
  function card(d) {
    var k = Math.floor(d / head.cards), p = piece("cards/" + k), j = d - k * head.cards;
    if (!p) return null;
    return { title: p.title[j], org: p.org[j], sub: p.sub[j], skills: p.skills[j], snippet: p.snippet[j], url: p.url[j] };
  }

  // One pass over a query: its answer, or the set of pieces it lacked. `extra`
  // reaches for what the page will show of the answer (cards, suggestions).
  function pass(text, sel, extra) {
    wanted = new Set();
    var r;
    try {
      r = run(text, sel);
      if (extra) extra(r);
    } finally {
      var missing = wanted;
      wanted = null;
    }
    return missing.size ? missing : r;
  }

  // The answer to a query once every piece it needs is in: passes and loads in turn.
  function answer(text, sel, extra) {
    var r = pass(text, sel, extra);
    if (!(r instanceof Set)) return Promise.resolve(r);
    return Promise.all(Array.from(r, load)).then(function () { return answer(text, sel, extra); });
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
      // CJK pairs overlap: a pair marks only what the one before left unmarked.
      var s = Math.max(at, x.s);
      e.append(text.slice(at, s), el("mark", "", text.slice(s, x.e)));
      at = x.e;
    });
    e.append(text.slice(at));
    return e;
  }

  // The site-relative URL of document d's page, from its card: most are derived
  // as the build made them (see derived_url in index.rs).
  function url(d, c) {
    return c.url || "ideas/" + head.terms[termOf[d]].id + "/" + slug(c.org) + "/" + slug(c.title) + "/";
  }

  function href(d, c) { return base + url(d, c) + (fromDisk ? "index.html" : ""); }

  function result(d, r) {
    var c = card(d), term = head.terms[termOf[d]], matched = r.matched;
    var li = el("li", "card search-result");
    var h = el("h2", "card-title"), a = marked("a", "", c.title, matched);
    a.href = href(d, c);
    h.append(a);
    var meta = el("p", "card-meta", [c.org].concat(c.sub ? [c.sub] : []).join(" › ") + " · " + term.title + " ");
    meta.append(el("span", "status status-" + term.status, STATUS_NAMES[term.status] || term.status));
    li.append(h, meta);
    if (c.snippet) li.append(marked("p", "card-summary", c.snippet, matched));
    if (c.skills.length) li.append(marked("p", "search-skills", c.skills.join(", "), matched));
    var lacks = r.kind === "partial" ? leftOut(r, r.missing[d]) : [];
    if (lacks.length) {
      var p = el("p", "search-missing", "Missing: ");
      lacks.forEach(function (w, k) { p.append(k ? ", " : "", el("s", "", w)); });
      li.append(p);
    }
    return li;
  }

  // The query words whose bits are set in `bits`.
  function leftOut(r, bits) { return r.words.filter(function (w, k) { return k < MAX_WORDS && bits & (1 << k); }); }

  function label(k, n) {
    var v = names[k][n];
    if (FACETS[k][0] === "term") return head.terms[n].title;
    return FACETS[k][0] === "status" ? STATUS_NAMES[v] || v : v;
  }

  // A selected value's label, read from the index once it is in; before it, or for
  // a value the index does not know (a shared URL from another version of the
  // site), the value itself.
  function valueLabel(name, value) {
    var k = FACETS.findIndex(function (f) { return f[0] === name; });
    if (numbers[k] && numbers[k].has(value)) return label(k, numbers[k].get(value));
    return value;
  }

  // One facet's checkboxes: values with a count, and selected ones even without.
  // A facet whose data comes on request is a button that asks for it.
  function facetBox(k, counts) {
    var name = FACETS[k][0], chosen = state.sel[name] || [], entries = [];
    if (!counts) {
      var ask = el("fieldset", "search-facet"), show = el("button", "search-more-values", "Show " + FACETS[k][1].toLowerCase() + " filters");
      show.type = "button";
      show.dataset.open = name;
      ask.append(el("legend", "", FACETS[k][1]), show);
      return ask;
    }
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

  // The skills closest to the words of a query that found nothing, else the most
  // common ones; null while the skill facet's piece is missing.
  function nearSkills(text) {
    var k = FACETS.findIndex(function (f) { return f[0] === "skill"; });
    if (!facetReady(k)) return null;
    var skills = names[k];
    if (!popularity) {
      popularity = skills.map(function () { return 0; });
      multi[k].forEach(function (list) { list.forEach(function (s) { popularity[s]++; }); });
    }
    var toks = tokens(text).map(function (x) { return x.t; }).filter(function (t) { return t.length > 1 && !isStop(t); });
    var scored = skills.map(function (s, k) {
      var name = tokens(s).map(function (x) { return x.t; }).join(" "), best = 9;
      toks.forEach(function (t) {
        var d = name.startsWith(t) || t.startsWith(name) ? 0 : osa(t, name);
        best = Math.min(best, d);
      });
      return [s, best, popularity[k]];
    }).filter(function (x) { return x[1] <= 3; });
    if (!scored.length) scored = skills.map(function (s, k) { return [s, 9, popularity[k]]; });
    scored.sort(function (a, b) { return a[1] - b[1] || b[2] - a[2]; });
    return scored.slice(0, 6).map(function (x) { return x[0]; });
  }

  // A row of buttons, each with its data attributes, under a lead-in.
  function chipRow(lead, chips) {
    var box = el("div", "search-chips"), list = el("ul", "chips");
    box.append(el("p", "", lead));
    chips.forEach(function (c) {
      var b = el("button", "chip", c.text), li = el("li");
      b.type = "button";
      Object.keys(c.data).forEach(function (key) { b.dataset[key] = c.data[key]; });
      if (c.label) b.setAttribute("aria-label", c.label);
      li.append(b);
      list.append(li);
    });
    box.append(list);
    return box;
  }

  function selected() {
    var out = [];
    FACETS.forEach(function (f) { (state.sel[f[0]] || []).forEach(function (v) { out.push([f[0], f[1], v]); }); });
    return out;
  }

  // The filters in use as removable chips: shown from the URL at once, before the
  // index is in, and for values the index does not know.
  function renderActive() {
    var active = $("search-active"), chosen = selected();
    active.replaceChildren();
    if (chosen.length) {
      active.append(chipRow("Filters:", chosen.map(function (c) {
        var text = c[1] + ": " + valueLabel(c[0], c[2]);
        return { text: text + " ×", label: "Remove the filter " + text, data: { unfacet: c[0], value: c[2] } };
      })));
    }
    $("search-filters-toggle").textContent = "Filters" + (chosen.length ? " (" + chosen.length + ")" : "");
  }

  function quoted(q) { return "“" + q.trim() + "”"; }

  // What the count line says about an answer.
  function summary(r, n) {
    var more = n > shown ? ", showing " + shown + "." : ".";
    var ideas = n + (n === 1 ? " idea" : " ideas");
    if (r.kind === "none") return "Nothing to search for in " + quoted(state.q) + ": it has only words too common to search. Try a skill, a project or an organization.";
    if (!n) return r.kind === "browse" ? "No ideas match these filters." : "No ideas match " + quoted(state.q) + ".";
    if (r.kind !== "partial") return ideas + more;
    var every = r.hits.reduce(function (b, d) { return b & r.missing[d]; }, -1);
    var gone = leftOut(r, every), have = r.words.length - bitCount(r.missing[r.hits[0]]);
    return "No idea has every word of " + quoted(state.q) + ". " + ideas + " with " + have + " of them" +
      (gone.length ? ", leaving out " + gone.map(quoted).join(", ") : "") + more;
  }

  function bitCount(m) { for (var c = 0; m; m &= m - 1) c++; return c; }

  // Ways out of an empty or partial answer: drop a word, drop a filter, try a skill.
  function renderSuggest(r, n) {
    var suggest = $("search-suggest");
    suggest.replaceChildren();
    if (r.kind === "partial" || (!n && r.kind !== "none")) {
      if (r.words.length > 1) {
        suggest.append(chipRow("Search without a word:", r.words.map(function (w) {
          return { text: "without " + quoted(w), data: { drop: w } };
        })));
      }
    }
    if (!n && selected().length) {
      suggest.append(chipRow("Or remove a filter:", selected().map(function (c) {
        var text = c[1] + ": " + valueLabel(c[0], c[2]);
        return { text: text + " ×", label: "Remove the filter " + text, data: { unfacet: c[0], value: c[2] } };
      })));
    }
    if (!n && r.kind !== "browse") {
      suggest.append(chipRow("Try one of these skills:", nearSkills(state.q).map(function (s) {
        return { text: s, data: { skill: s } };
      })));
    }
    suggest.hidden = !suggest.childNodes.length;
  }

  // The live region speaks once typing pauses, not on every key.
  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { $("search-status").textContent = text; }, ANNOUNCE_PAUSE);
  }

  // Answers the query in the box and draws it, once the pieces it needs are in;
  // an answer overtaken by newer typing is dropped.
  function render(focus) {
    renderActive();
    if (!head) {
      $("search-count").textContent = "Loading the search index…";
      return;
    }
    var gen = ++generation, q = state.q, sel = state.sel;
    // What the page will show of the answer is reached for in the pass, so that
    // its pieces come with the rest: the cards shown, and skills to suggest.
    var shows = function (r) {
      r.hits.slice(0, shown).forEach(card);
      // Only for an answer that is whole: a pass still missing pieces finds nothing yet.
      if (!wanted.size && !r.hits.length && r.kind !== "browse" && r.kind !== "none") nearSkills(q);
    };
    app.setAttribute("aria-busy", "true");
    answer(q, sel, shows).then(function (r) {
      if (gen !== generation) return;
      app.removeAttribute("aria-busy");
      draw(r, focus);
      app.dataset.ready = "true";
    }, failed);
  }

  function draw(r, focus) {
    var list = $("search-results"), facets = $("search-facets");
    $("search-failed").hidden = true;
    var focused = document.activeElement, focusKey = focused && focused.dataset && (focused.dataset.facet ? focused.dataset.facet + "\n" + focused.value : focused.dataset.expand);
    list.replaceChildren();
    r.hits.slice(0, shown).forEach(function (d) { list.append(result(d, r)); });
    var n = r.hits.length, text = summary(r, n);
    $("search-count").textContent = text;
    announce(text);
    $("search-more").hidden = n <= shown;
    facets.replaceChildren();
    FACETS.forEach(function (f, k) { var b = facetBox(k, r.counts[k]); if (b) facets.append(b); });
    renderSuggest(r, n);
    if (focus) focus();
    else if (focusKey && !document.contains(focused)) {
      var again = Array.prototype.find.call(facets.querySelectorAll("input, button"), function (e) {
        return (e.dataset.facet ? e.dataset.facet + "\n" + e.value : e.dataset.expand) === focusKey;
      });
      if (again) again.focus();
    }
  }

  // Where focus goes when the control that had it is gone: the count line, which
  // says what the click changed, and from which Tab reaches the results.
  function focusCount() { $("search-count").focus(); }

  function readUrl(fromUrl) {
    var p = new URLSearchParams(location.search);
    // Text typed before this script ran is the student's, not the URL's.
    state.q = fromUrl || !box.value ? p.get("q") || "" : box.value;
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

  function toggle(name, value, on, focus) {
    flushUrl();
    var list = (state.sel[name] || []).filter(function (v) { return v !== value; });
    if (on) list.push(value);
    if (list.length) state.sel[name] = list; else delete state.sel[name];
    shown = PAGE;
    writeUrl(true);
    render(focus);
  }

  // The query without one of its words, cut out where it was typed.
  function without(word) {
    var x = tokens(state.q).find(function (t) { return t.t === word; });
    return x ? (state.q.slice(0, x.s) + " " + state.q.slice(x.e)).replace(/\s+/g, " ").trim() + " " : state.q;
  }

  function results() { return Array.prototype.slice.call($("search-results").querySelectorAll(".card-title a")); }

  // The index is in: the ranking starts, on whatever the box holds by now.
  // The head is in: the ranking starts, on whatever the box holds by now.
  function start() {
    head = pieces.index;
    N = head.count;
    termOf = new Int32Array(N);
    var d = 0;
    head.runs.forEach(function (run) { termOf.fill(run[0], d, d + run[1]); d += run[1]; });
    // For the browser tests and the benchmark: the ranking without the page,
    // and every document's URL; each a promise, as they load pieces.
    window.trellisSearch = {
      query: function (q, sel) { return answer(q, sel || {}).then(function (r) { return r.hits; }); },
      urls: function () {
        var all = Array.from({ length: N }, function (_, d) { return d; });
        return answer("", {}, function () { all.forEach(card); }).then(function () {
          return all.map(function (d) { return url(d, card(d)); });
        });
      }
    };
    state.q = box.value;
    render();
  }

  function failed() {
    $("search-count").textContent = "The search index could not be loaded.";
    $("search-failed").hidden = false;
  }

  // Everything that works before the index is in: the box, the URL, the filters.
  function listen() {
    box.addEventListener("input", function () {
      state.q = box.value;
      shown = PAGE;
      writeUrlSoon();
      render();
    });
    box.addEventListener("blur", flushUrl);
    box.form.addEventListener("submit", function (e) { e.preventDefault(); writeUrl(false); });
    // The URL now names the state: a write still waiting would overwrite it.
    window.addEventListener("popstate", function () { clearTimeout(urlTimer); urlTimer = 0; readUrl(true); render(); });
    app.addEventListener("change", function (e) {
      var t = e.target;
      if (t.dataset.facet) toggle(t.dataset.facet, t.value, t.checked);
    });
    app.addEventListener("click", function (e) {
      var t = e.target.closest("button");
      if (!t) return;
      var data = t.dataset;
      if (data.expand) {
        expanded[data.expand] = true;
        render(function () {
          var inputs = $("search-facets").querySelectorAll("input[data-facet='" + data.expand + "']");
          (inputs[FACET_SHOWN] || inputs[0] || focusCount).focus();
        });
      }
      if (data.open) {
        opened[data.open] = true;
        render(function () {
          var first = $("search-facets").querySelector("input[data-facet='" + data.open + "']");
          (first || focusCount).focus();
        });
      }
      if (data.skill) { flushUrl(); state.q = box.value = ""; toggle("skill", data.skill, true, focusCount); }
      if (data.unfacet) toggle(data.unfacet, data.value, false, focusCount);
      if (data.drop) { state.q = box.value = without(data.drop); shown = PAGE; writeUrl(true); render(focusCount); }
      if (t.id === "search-filters-toggle") {
        var open = app.classList.toggle("filters-open");
        t.setAttribute("aria-expanded", String(open));
      }
      if (t.id === "search-more") {
        var first = shown;
        shown += PAGE;
        render(function () { (results()[first] || focusCount).focus(); });
      }
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

  readUrl(false);
  listen();
  render();
  load("index").then(start, failed);
})();
