/* versus default theme: full-text search, offline.
 *
 * The index is search-index.js, written at build time by versus
 * (src/publish/search.rs) with elasticlunr-rs. It is a plain script that
 * sets window.VERSUS_SEARCH, loaded with a <script> element the first time
 * the search box gets focus: that works from file:// (fetch does not), and
 * pages that are only read never download it.
 *
 * The markup is partials/search.html: controls in a <template>, put in
 * place here, so there is no box without JavaScript. Keyboard: "/" focuses
 * the box, ArrowDown/ArrowUp move through the results, Enter opens one,
 * Escape closes the list.
 *
 * The text pipeline below (tokenize, stop words, Porter stemmer on ASCII
 * words) must match the Rust side exactly; `cargo test` compares them
 * (publish::search::tests::js_pipeline_matches_rust).
 *
 * Also usable from Node (module.exports) for tests: terms, stem, Engine.
 */
(function () {
  "use strict";

  var FORMAT = 2;
  var MAX_RESULTS = 20;
  var BOOST = { title: 4, heading: 2, body: 1 };

  /* ---------------------------------------------------------------- */
  /* Text pipeline (keep in step with src/publish/search.rs)          */
  /* ---------------------------------------------------------------- */

  var WORD = /[\p{Alphabetic}\p{N}_]+/gu;

  /** Lowercase words: runs of letters, digits and "_". */
  function tokenize(text) {
    var out = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) out.push(m[0].toLowerCase());
    return out;
  }

  function isVowel(c) {
    return c === "a" || c === "e" || c === "i" || c === "o" || c === "u";
  }

  /** Porter stemmer, as elasticlunr-rs implements it (with its departures
   *  from the published algorithm: -bli, -logi, the -y rule). */
  function stem(word) {
    if (word.length <= 2) return word;
    var b = word.split("");
    var k = b.length;
    var j = 0;

    function cons(i) {
      var c = b[i];
      if (isVowel(c)) return false;
      if (c === "y") return i === 0 ? true : !cons(i - 1);
      return true;
    }
    // Number of consonant-vowel sequences in b[0, j).
    function measure() {
      var n = 0;
      var i = 0;
      for (;;) {
        if (i >= j) return n;
        if (!cons(i)) break;
        i++;
      }
      i++;
      for (;;) {
        for (;;) {
          if (i >= j) return n;
          if (cons(i)) break;
          i++;
        }
        i++;
        n++;
        for (;;) {
          if (i >= j) return n;
          if (!cons(i)) break;
          i++;
        }
        i++;
      }
    }
    function hasVowel() {
      for (var i = 0; i < j; i++) if (!cons(i)) return true;
      return false;
    }
    function doubleCons(i) {
      return i >= 1 && b[i] === b[i - 1] && cons(i);
    }
    function cvc(i) {
      if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
      var c = b[i];
      return c !== "w" && c !== "x" && c !== "y";
    }
    function ends(s) {
      var len = s.length;
      if (len > k) return false;
      for (var t = 0; t < len; t++) if (b[k - len + t] !== s[t]) return false;
      j = k - len;
      return true;
    }
    function setTo(s) {
      for (var t = 0; t < s.length; t++) b[j + t] = s[t];
      k = j + s.length;
    }
    function r(s) {
      if (measure() > 0) setTo(s);
    }

    // Step 1ab: plurals, -ed, -ing.
    if (b[k - 1] === "s") {
      if (ends("sses")) k -= 2;
      else if (ends("ies")) setTo("i");
      else if (b[k - 2] !== "s") k -= 1;
    }
    if (ends("eed")) {
      if (measure() > 0) k -= 1;
    } else if ((ends("ed") || ends("ing")) && hasVowel()) {
      k = j;
      if (ends("at")) setTo("ate");
      else if (ends("bl")) setTo("ble");
      else if (ends("iz")) setTo("ize");
      else if (doubleCons(k - 1)) {
        k -= 1;
        var c = b[k - 1];
        if (c === "l" || c === "s" || c === "z") k += 1;
      } else if (measure() === 1 && cvc(k - 1)) setTo("e");
    }
    // Step 1c: final y after a non-vowel letter becomes i.
    if (k > 2 && ends("y") && !isVowel(b[k - 2])) b[k - 1] = "i";
    // Step 2: double suffixes.
    step2: if (k >= 2) {
      switch (b[k - 2]) {
        case "a":
          if (ends("ational")) { r("ate"); break step2; }
          if (ends("tional")) r("tion");
          break;
        case "c":
          if (ends("enci")) { r("ence"); break step2; }
          if (ends("anci")) r("ance");
          break;
        case "e":
          if (ends("izer")) r("ize");
          break;
        case "l":
          if (ends("bli")) { r("ble"); break step2; }
          if (ends("alli")) { r("al"); break step2; }
          if (ends("entli")) { r("ent"); break step2; }
          if (ends("eli")) { r("e"); break step2; }
          if (ends("ousli")) r("ous");
          break;
        case "o":
          if (ends("ization")) { r("ize"); break step2; }
          if (ends("ation")) { r("ate"); break step2; }
          if (ends("ator")) r("ate");
          break;
        case "s":
          if (ends("alism")) { r("al"); break step2; }
          if (ends("iveness")) { r("ive"); break step2; }
          if (ends("fulness")) { r("ful"); break step2; }
          if (ends("ousness")) r("ous");
          break;
        case "t":
          if (ends("aliti")) { r("al"); break step2; }
          if (ends("iviti")) { r("ive"); break step2; }
          if (ends("biliti")) r("ble");
          break;
        case "g":
          if (ends("logi")) r("log");
          break;
      }
    }
    // Step 3: -ic-, -full, -ness.
    step3: switch (b[k - 1]) {
      case "e":
        if (ends("icate")) { r("ic"); break step3; }
        if (ends("ative")) { r(""); break step3; }
        if (ends("alize")) r("al");
        break;
      case "i":
        if (ends("iciti")) r("ic");
        break;
      case "l":
        if (ends("ical")) { r("ic"); break step3; }
        if (ends("ful")) r("");
        break;
      case "s":
        if (ends("ness")) r("");
        break;
    }
    // Step 4: -ant, -ence and so on, in context <c>vcvc<v>.
    if (k >= 2) {
      var matched = false;
      switch (b[k - 2]) {
        case "a": matched = ends("al"); break;
        case "c": matched = ends("ance") || ends("ence"); break;
        case "e": matched = ends("er"); break;
        case "i": matched = ends("ic"); break;
        case "l": matched = ends("able") || ends("ible"); break;
        case "n": matched = ends("ant") || ends("ement") || ends("ment") || ends("ent"); break;
        case "o":
          matched = (ends("ion") && j > 0 && (b[j - 1] === "s" || b[j - 1] === "t")) || ends("ou");
          break;
        case "s": matched = ends("ism"); break;
        case "t": matched = ends("ate") || ends("iti"); break;
        case "u": matched = ends("ous"); break;
        case "v": matched = ends("ive"); break;
        case "z": matched = ends("ize"); break;
      }
      if (matched && measure() > 1) k = j;
    }
    // Step 5: final -e, -ll.
    j = k;
    if (b[k - 1] === "e") {
      var a = measure();
      if (a > 1 || (a === 1 && !cvc(k - 2))) k -= 1;
    }
    if (b[k - 1] === "l" && doubleCons(k - 1) && measure() > 1) k -= 1;
    return b.slice(0, k).join("");
  }

  var ASCII = /^[\x00-\x7f]*$/;

  /** A word as the index stores it, or "" for a stop word. */
  function term(word, stop) {
    if (stop.has(word)) return "";
    return ASCII.test(word) ? stem(word) : word;
  }

  /** Text -> index terms (stop words dropped). */
  function terms(text, stop) {
    var out = [];
    tokenize(text).forEach(function (w) {
      var t = term(w, stop);
      if (t) out.push(t);
    });
    return out;
  }

  /* ---------------------------------------------------------------- */
  /* Query engine over the index (format: src/publish/search.rs)      */
  /* ---------------------------------------------------------------- */

  var FIELDS = ["title", "heading", "body"];

  function Engine(data) {
    if (!data || data.format !== FORMAT) throw new Error("unknown search index format");
    this.stop = new Set(data.stopWords);
    this.pages = data.pages;
    this.docs = data.docs;
    this.lengths = data.lengths;
    this.terms = data.terms;
    this.postings = data.postings;
  }

  // Index of the first term >= word (terms are sorted in JavaScript order).
  Engine.prototype.lowerBound = function (word) {
    var lo = 0;
    var hi = this.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (this.terms[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Term numbers of the terms starting with `prefix`, at most `limit`.
  Engine.prototype.withPrefix = function (prefix, limit) {
    var out = [];
    for (var i = this.lowerBound(prefix); i < this.terms.length && out.length < limit; i++) {
      if (this.terms[i].lastIndexOf(prefix, 0) !== 0) break;
      out.push(i);
    }
    return out;
  };

  Engine.prototype.find = function (word) {
    var i = this.lowerBound(word);
    return i < this.terms.length && this.terms[i] === word ? i : -1;
  };

  // Adds weight * score of term `t` to each document containing it.
  Engine.prototype.score = function (t, weight, scores) {
    var list = this.postings[t];
    var docsWithTerm = 0;
    var prev = -1;
    var doc = 0;
    var i;
    for (i = 0; i < list.length; i += 2) {
      doc += list[i];
      if (doc !== prev) docsWithTerm++;
      prev = doc;
    }
    var idf = Math.log(1 + this.docs.length / docsWithTerm);
    doc = 0;
    for (i = 0; i < list.length; i += 2) {
      doc += list[i];
      var field = list[i + 1] % 3;
      var count = (list[i + 1] - field) / 3;
      var len = this.lengths[doc * 3 + field] || 1;
      var s = BOOST[FIELDS[field]] * weight * Math.sqrt(count) * idf / Math.sqrt(len);
      scores.set(doc, (scores.get(doc) || 0) + s);
    }
  };

  /**
   * Searches; returns [{ path, id, title, heading, body, score, matches }]
   * best first. The last word of a query still being typed (no trailing
   * space) also matches as a prefix: "asyn" finds "async".
   */
  Engine.prototype.search = function (query, limit) {
    var self = this;
    var words = tokenize(query).filter(function (w) { return !self.stop.has(w); });
    if (words.length === 0) return [];
    var typing = !/\s$/.test(query);
    var prefix = null;
    var stems = new Set();
    var perWord = words.map(function (w, i) {
      var want = new Map();
      var st = term(w, self.stop);
      stems.add(st);
      var t = self.find(st);
      if (t >= 0) want.set(t, 1);
      if (typing && i === words.length - 1) {
        // The word being typed: terms it begins, or failing that, terms
        // beginning with it less its last letters ("connecti" finds
        // "connect", the stem of "connection").
        for (var cut = 0; cut <= 3 && w.length - cut >= 3; cut++) {
          var p = w.slice(0, w.length - cut);
          var found = self.withPrefix(p, 50);
          if (found.length === 0) continue;
          prefix = p;
          found.forEach(function (x) { if (!want.has(x)) want.set(x, 0.5); });
          break;
        }
      }
      var scores = new Map();
      want.forEach(function (weight, x) { self.score(x, weight, scores); });
      return scores;
    });
    // Every word must match; failing that, any word (ranked by how many).
    var total = new Map();
    perWord[0].forEach(function (s, doc) {
      var sum = s;
      for (var g = 1; g < perWord.length; g++) {
        var x = perWord[g].get(doc);
        if (x === undefined) return;
        sum += x;
      }
      total.set(doc, sum);
    });
    if (total.size === 0 && perWord.length > 1) {
      var hits = new Map();
      perWord.forEach(function (scores) {
        scores.forEach(function (s, doc) {
          total.set(doc, (total.get(doc) || 0) + s);
          hits.set(doc, (hits.get(doc) || 0) + 1);
        });
      });
      total.forEach(function (s, doc) { total.set(doc, s * hits.get(doc) / perWord.length); });
    }
    var ranked = Array.from(total.keys());
    ranked.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
    function matches(word) {
      var lw = word.toLowerCase();
      var t = term(lw, self.stop);
      return (t !== "" && stems.has(t)) || (prefix !== null && lw.lastIndexOf(prefix, 0) === 0);
    }
    return ranked.slice(0, limit || MAX_RESULTS).map(function (n) {
      var doc = self.docs[n];
      var page = self.pages[doc[0]];
      return {
        path: page[0],
        id: doc[1],
        title: page[1],
        heading: doc[2],
        body: doc[3],
        score: total.get(n),
        matches: matches
      };
    });
  };

  /* ---------------------------------------------------------------- */
  /* Snippets and highlighting                                        */
  /* ---------------------------------------------------------------- */

  var SNIPPET = 160;

  /** Appends `text` to `parent`, each matching word wrapped in <mark>. */
  function appendMarked(parent, text, matches) {
    var last = 0;
    var m;
    var re = new RegExp(WORD.source, "gu");
    while ((m = re.exec(text)) !== null) {
      if (!matches(m[0])) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /** The part of `body` around the first match, about SNIPPET characters. */
  function snippet(body, matches) {
    if (body.length <= SNIPPET) return body;
    var re = new RegExp(WORD.source, "gu");
    var m;
    var at = 0;
    while ((m = re.exec(body)) !== null) {
      if (matches(m[0])) { at = m.index; break; }
    }
    var start = Math.max(0, at - 50);
    if (start > 0) {
      var space = body.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
    var end = Math.min(body.length, start + SNIPPET);
    if (end < body.length) {
      var cut = body.lastIndexOf(" ", end);
      if (cut > at) end = cut;
    }
    return (start > 0 ? "… " : "") + body.slice(start, end) + (end < body.length ? " …" : "");
  }

  /* ---------------------------------------------------------------- */
  /* The search box                                                   */
  /* ---------------------------------------------------------------- */

  function isEditable(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function setup() {
    var box = document.querySelector("[data-search]");
    if (!box) return;
    var template = box.querySelector("template");
    if (template && template.content) box.appendChild(template.content.cloneNode(true));
    var input = box.querySelector(".search-input");
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    if (!input || !list || !status) return;
    var root = box.getAttribute("data-root") || "";
    var engine = null;
    var loading = false;
    var failed = false;
    var active = -1;
    var shown = [];
    list.hidden = true;

    function load() {
      if (engine || loading || failed) return;
      if (window.VERSUS_SEARCH) {
        start();
        return;
      }
      loading = true;
      status.textContent = "Loading search…";
      var script = document.createElement("script");
      script.src = root + "search-index.js";
      script.async = true;
      script.onload = function () {
        loading = false;
        start();
      };
      script.onerror = function () {
        loading = false;
        failed = true;
        status.textContent = "The search index could not be loaded.";
      };
      document.head.appendChild(script);
    }

    function start() {
      try {
        engine = new Engine(window.VERSUS_SEARCH);
      } catch (e) {
        failed = true;
        status.textContent = "The search index could not be read.";
        return;
      }
      update();
    }

    function open(yes) {
      list.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) select(-1);
    }

    function select(i) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function href(r) {
      return root + encodeURI(r.path) + (r.id ? "#" + encodeURIComponent(r.id) : "");
    }

    function update() {
      var query = input.value;
      if (!engine) {
        if (query.trim()) load();
        return;
      }
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        shown = [];
        status.textContent = "";
        open(false);
        return;
      }
      shown = engine.search(query, MAX_RESULTS);
      shown.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = "search-result-" + i;
        li.className = "search-result";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var a = document.createElement("a");
        a.href = href(r);
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-result-title";
        appendMarked(title, r.title, r.matches);
        if (r.heading) {
          var sep = document.createElement("span");
          sep.className = "search-result-sep";
          sep.setAttribute("aria-hidden", "true");
          sep.textContent = " › ";
          title.appendChild(sep);
          var h = document.createElement("span");
          h.className = "search-result-heading";
          appendMarked(h, r.heading, r.matches);
          title.appendChild(h);
        }
        a.appendChild(title);
        var text = snippet(r.body, r.matches);
        if (text) {
          var p = document.createElement("span");
          p.className = "search-result-snippet";
          appendMarked(p, text, r.matches);
          a.appendChild(p);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      var n = shown.length;
      status.textContent = n === 0 ? "No results" : n === 1 ? "1 result" : n + (n === MAX_RESULTS ? "+ results" : " results");
      if (n === 0) {
        var empty = document.createElement("li");
        empty.className = "search-empty";
        empty.setAttribute("role", "option");
        empty.setAttribute("aria-disabled", "true");
        empty.setAttribute("aria-selected", "false");
        empty.id = "search-result-none";
        empty.textContent = "No results for “" + query.trim() + "”";
        list.appendChild(empty);
      }
      open(true);
    }

    function go(i) {
      var item = list.children[i];
      var a = item && item.querySelector("a");
      if (!a) return;
      open(false);
      input.blur();
      window.location.href = a.href;
    }

    // Typing faster than the screen refreshes searches once per frame.
    var pending = 0;
    function flush() {
      if (pending) {
        cancelAnimationFrame(pending);
        pending = 0;
        update();
      }
    }
    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      if (!pending) {
        pending = requestAnimationFrame(function () {
          pending = 0;
          update();
        });
      }
    });
    input.addEventListener("keydown", function (e) {
      flush();
      var n = shown.length;
      if (e.key === "ArrowDown" || e.key === "Down") {
        e.preventDefault();
        if (list.hidden && input.value.trim()) update();
        if (n) select(active < n - 1 ? active + 1 : 0);
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        e.preventDefault();
        if (n) select(active > 0 ? active - 1 : n - 1);
      } else if (e.key === "Enter") {
        if (n) {
          e.preventDefault();
          go(active >= 0 ? active : 0);
        }
      } else if (e.key === "Escape" || e.key === "Esc") {
        if (!list.hidden) {
          e.preventDefault();
          open(false);
        } else if (input.value) {
          input.value = "";
          update();
        } else {
          input.blur();
        }
      }
    });
    // A click on a result is a plain link; a click elsewhere closes the list.
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) open(false);
    });
    list.addEventListener("mousemove", function (e) {
      var li = e.target.closest ? e.target.closest(".search-result") : null;
      if (li) select(Array.prototype.indexOf.call(list.children, li));
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isEditable(e.target)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
    box.setAttribute("role", "search");
    box.classList.add("is-ready");
  }

  var api = { tokenize: tokenize, stem: stem, terms: terms, Engine: Engine };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof window !== "undefined") {
    window.VersusSearch = api;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
    else setup();
  }
})();
