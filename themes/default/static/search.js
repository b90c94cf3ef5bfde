/* versus default theme: full-text search, offline.
 *
 * The index is written at build time by versus (src/publish/search/) as
 * many small scripts under search/: a manifest, term shards, chunks of the
 * longest posting lists and document shards. Each calls
 * versusSearchData(NAME, DATA) and is loaded with a <script> element only
 * when a query needs it: that works from file:// (fetch does not), pages
 * that are only read download nothing, and a query on a site of 100,000
 * pages reads a few hundred kilobytes.
 *
 * The markup is partials/search.html: controls in a <template>, put in
 * place here, so there is no box without JavaScript. Keyboard: "/" focuses
 * the box, ArrowDown/ArrowUp move through the results, Enter opens one,
 * Escape closes the list.
 *
 * The index is the one of the page's language: the search box's
 * data-index attribute names its folder (relative to the page), else
 * data-root + "search/".
 *
 * The text pipeline below must match the Rust side exactly (Rust:
 * src/publish/search/lang.rs); `cargo test` compares them
 * (publish::search::tests::js_pipeline_matches_rust). English: tokenize,
 * stop words, Porter stemmer on ASCII words. Other languages: words cut
 * with their marks, lowercase, accents folded where the manifest says
 * `fold`, stop words; a stemmed language's terms are looked up in the
 * index's word table (no stemmer is shipped), others are the words
 * themselves.
 *
 * Also usable from Node (module.exports) for tests and benches: terms,
 * stem, Text, Engine (given a loader: name -> promise of the file's data).
 */
(function () {
  "use strict";

  var FORMAT = 3;
  var MAX_RESULTS = 20;
  var BOOST = { title: 4, heading: 2, body: 1 };

  /* ---------------------------------------------------------------- */
  /* Text pipeline (keep in step with src/publish/search/lang.rs)    */
  /* ---------------------------------------------------------------- */

  // Built on first use: a Unicode property class takes a while to compile,
  // and most page views never search.
  var WORD_SOURCE = "[\\p{Alphabetic}\\p{N}_]+";
  var wordRe = null;
  function wordPattern() {
    return wordRe || (wordRe = new RegExp(WORD_SOURCE, "gu"));
  }

  /** Lowercase words: runs of letters, digits and "_". */
  function tokenize(text) {
    return cut(text, wordPattern());
  }

  // Other languages than English keep marks in their words (a Devanagari
  // virama, a combining accent).
  var MARKED_SOURCE = "[\\p{Alphabetic}\\p{M}\\p{N}_]+";
  var markedRe = null;

  /** Lowercase words: runs of letters, marks, digits and "_". */
  function tokenizeMarked(text) {
    return cut(text, markedRe || (markedRe = new RegExp(MARKED_SOURCE, "gu")));
  }

  function cut(text, word) {
    var out = [];
    var m;
    word.lastIndex = 0;
    while ((m = word.exec(text)) !== null) out.push(m[0].toLowerCase());
    return out;
  }

  var FOLD_MORE = { "œ": "oe", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ø": "o", "\u0640": "" };
  var markRe = null;

  /** A lowercase word without its accents (Rust: lang::fold_accents). */
  function foldAccents(word) {
    if (ASCII.test(word)) return word;
    markRe = markRe || new RegExp("\\p{M}", "gu");
    return word.normalize("NFD").replace(markRe, "").replace(/[œæßłđø\u0640]/g, function (c) {
      return FOLD_MORE[c];
    }).normalize("NFC");
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

  /** Text -> index terms (stop words dropped), in English. */
  function terms(text, stop) {
    var out = [];
    tokenize(text).forEach(function (w) {
      var t = term(w, stop);
      if (t) out.push(t);
    });
    return out;
  }

  /**
   * The text pipeline of an index, from its manifest: English when it
   * names no `lang`; `fold`: accents folded; `words`: the index has a word
   * table, where the terms of a stemmed language are found.
   */
  function Text(m) {
    this.english = !m.lang;
    this.fold = !!m.fold;
    this.table = !!m.words;
    this.stop = new Set(m.stopWords || []);
  }

  /** Lowercase words of `text`. */
  Text.prototype.words = function (text) {
    return this.english ? tokenize(text) : tokenizeMarked(text);
  };

  /** A lowercase word folded as the index folds it (stop words kept). */
  Text.prototype.folded = function (word) {
    return this.fold ? foldAccents(word) : word;
  };

  /** The key of a lowercase word (what the word table lists), "" for a
   *  stop word. */
  Text.prototype.key = function (word) {
    var k = this.folded(word);
    return this.stop.has(k) ? "" : k;
  };

  /** The term of a key, or null when it is in the word table. */
  Text.prototype.term = function (key) {
    if (this.english) return ASCII.test(key) ? stem(key) : key;
    return this.table ? null : key;
  };

  /* ---------------------------------------------------------------- */
  /* Query engine over the index (format: src/publish/search/write.rs) */
  /* ---------------------------------------------------------------- */

  var FIELDS = ["title", "heading", "body"];

  /**
   * The index, read a file at a time: `load(name)` returns a promise of
   * the data of search/NAME.js ("index", "t/3", "p/12.0", "d/40"). Each
   * file is asked for once.
   */
  function Engine(load) {
    this.load = load;
    this.files = Object.create(null);
    this.m = null;
  }

  Engine.prototype.get = function (name) {
    var p = this.files[name];
    if (!p) p = this.files[name] = this.load(name);
    return p;
  };

  /** Resolves once the manifest is read; rejects on an unknown format. */
  Engine.prototype.ready = function () {
    var self = this;
    return this.get("index").then(function (m) {
      if (!m || m.format !== FORMAT) throw new Error("unknown search index format");
      self.m = m;
      self.stop = new Set(m.stopWords);
      self.text = new Text(m);
      return self;
    });
  };

  // The term shard that holds `word`, if any shard does.
  Engine.prototype.shardOf = function (word) {
    return shardIn(this.m.shards, word);
  };

  // The shard of a sorted run whose first keys are `firsts` that holds `word`.
  function shardIn(firsts, word) {
    var lo = 0;
    var hi = firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (firsts[mid] <= word) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  // Index of the first term >= word in a sorted array.
  function lowerBound(terms, word) {
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (terms[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Term `i` of shard data `s` as the engine works with it.
  function termOf(s, i) {
    var key = "t" + i;
    if (!s[key]) {
      s[key] = {
        name: s.terms[i],
        df: s.df[i],
        parts: [s.postings[i]],
        more: s.more[i] || [],
        loaded: 0
      };
    }
    return s[key];
  }

  /** Promise of the term `word`, or null. */
  Engine.prototype.find = function (word) {
    if (this.m.shards.length === 0) return Promise.resolve(null);
    return this.get("t/" + this.shardOf(word)).then(function (s) {
      var i = lowerBound(s.terms, word);
      return i < s.terms.length && s.terms[i] === word ? termOf(s, i) : null;
    });
  };

  /** Promise of the terms starting with `prefix`, in order, at most `limit`. */
  Engine.prototype.withPrefix = function (prefix, limit) {
    return this.scan("t", this.m.shards, "terms", prefix, limit).then(function (found) {
      return found.map(function (x) { return termOf(x[0], x[1]); });
    });
  };

  // Promise of the entries starting with `prefix` (at most `limit`, as
  // [shard data, index]) of the sorted run of shards KIND/N whose first
  // keys are `firsts`, each key list in the shard's field `field`.
  Engine.prototype.scan = function (kind, firsts, field, prefix, limit) {
    var self = this;
    var out = [];
    if (!firsts || firsts.length === 0) return Promise.resolve(out);
    function from(n, start) {
      return self.get(kind + "/" + n).then(function (s) {
        var list = s[field];
        var i = start ? lowerBound(list, prefix) : 0;
        for (; i < list.length && out.length < limit; i++) {
          if (list[i].lastIndexOf(prefix, 0) !== 0) return out;
          out.push([s, i]);
        }
        // The run may go on in the next shard.
        if (out.length < limit && n + 1 < firsts.length && firsts[n + 1].lastIndexOf(prefix, 0) === 0) {
          return from(n + 1, false);
        }
        return out;
      });
    }
    return from(shardIn(firsts, prefix), true);
  };

  // The terms of word `i` of word shard data `s`.
  function stemsAt(s, i) {
    var v = s.stems[i];
    if (typeof v === "number") return [s.words[i].slice(0, s.words[i].length - v)];
    return typeof v === "string" ? [v] : v;
  }

  /** Promise of the terms of `key` in the word table, or null. */
  Engine.prototype.lookup = function (key) {
    var firsts = this.m.words;
    if (!firsts || firsts.length === 0) return Promise.resolve(null);
    return this.get("w/" + shardIn(firsts, key)).then(function (s) {
      var i = lowerBound(s.words, key);
      return i < s.words.length && s.words[i] === key ? stemsAt(s, i) : null;
    });
  };

  // Promise of the distinct terms (objects) named in `names`, found.
  Engine.prototype.findAll = function (names) {
    return Promise.all(names.map(this.find, this)).then(function (ts) {
      return ts.filter(function (t, i) { return t && ts.indexOf(t) === i; });
    });
  };

  /** Promise of the terms of the words starting with `prefix` (at most
   *  `limit` words): the terms themselves without a word table. */
  Engine.prototype.startingWith = function (prefix, limit) {
    var self = this;
    if (!this.text.table) return this.withPrefix(prefix, limit);
    return this.scan("w", this.m.words, "words", prefix, limit).then(function (found) {
      var names = [];
      found.forEach(function (x) { names.push.apply(names, stemsAt(x[0], x[1])); });
      return self.findAll(names);
    });
  };

  /**
   * Promise of the term names of `key` in a language with a word table. A
   * word the site does not have takes the terms of the site's words that
   * share all but its last three letters or fewer and whose term begins
   * it ("vitesses" finds "vitess", the term of "vitesse"), or that are
   * the word and up to three letters more ("vitesse" finds the terms of
   * "vitesses", "deploy" of "deploys").
   */
  Engine.prototype.stemsOf = function (key) {
    var self = this;
    return this.lookup(key).then(function (names) {
      if (names !== null) return names;
      function near(n) {
        if (n < 3 || n < key.length - 3) return [key];
        return self.scan("w", self.m.words, "words", key.slice(0, n), 50).then(function (found) {
          var out = [];
          found.forEach(function (x) {
            var word = x[0].words[x[1]];
            var longer = word.length - key.length <= 3 && word.lastIndexOf(key, 0) === 0;
            stemsAt(x[0], x[1]).forEach(function (stem) {
              if ((longer || key.lastIndexOf(stem, 0) === 0) && out.indexOf(stem) < 0) out.push(stem);
            });
          });
          return out.length > 0 ? out : near(n - 1);
        });
      }
      return near(key.length);
    });
  };

  // Adds weight * score of term `t` (its postings loaded so far) to each
  // document containing it; notes in `seen` the documents it lists.
  Engine.prototype.score = function (t, weight, scores, seen) {
    var idf = Math.log(1 + this.m.docs / t.df);
    t.parts.forEach(function (list) {
      var doc = 0;
      for (var i = 0; i < list.length; i += 3) {
        doc += list[i];
        var field = list[i + 1] % 3;
        var count = (list[i + 1] - field) / 3;
        var len = list[i + 2] || 1;
        var s = BOOST[FIELDS[field]] * weight * Math.sqrt(count) * idf / Math.sqrt(len);
        scores.set(doc, (scores.get(doc) || 0) + s);
        if (seen) seen.add(doc);
      }
    });
  };

  // The most weight * score a document not yet seen in term `t` can get
  // from it (0 once every posting of `t` is loaded).
  Engine.prototype.bound = function (t, weight) {
    if (t.loaded >= t.more.length) return 0;
    return weight * Math.log(1 + this.m.docs / t.df) * t.more[t.loaded][1];
  };

  /**
   * Ranks documents for `groups` (one per query word: [{ t, weight }]):
   * every word must match, or failing that any word. Postings beyond a
   * term's shard are loaded only while they could change the first `limit`
   * results, so the ranking is the one the whole index would give.
   * Promise of [doc, score] best first.
   */
  Engine.prototype.rank = function (groups, limit) {
    var self = this;
    function pending() {
      var out = [];
      groups.forEach(function (g) {
        g.forEach(function (x) {
          if (x.t.loaded < x.t.more.length && out.indexOf(x.t) < 0) out.push(x.t);
        });
      });
      return out;
    }
    function loadNext(terms, all) {
      return Promise.all(terms.map(function (t) {
        var names = t.more.slice(t.loaded, all ? t.more.length : t.loaded + 1);
        return Promise.all(names.map(function (m) { return self.get(m[0]); })).then(function (lists) {
          lists.forEach(function (list) { t.parts.push(list); });
          t.loaded += lists.length;
        });
      }));
    }
    function step() {
      var perWord = [];
      var seen = [];
      groups.forEach(function (g) {
        var scores = new Map();
        var seenHere = g.map(function (x) {
          var docs = new Set();
          self.score(x.t, x.weight, scores, docs);
          return docs;
        });
        perWord.push(scores);
        seen.push(seenHere);
      });
      var waiting = pending();
      if (waiting.length === 0) return combine(perWord, limit);
      var cut = self.settled(groups, perWord, seen, limit);
      if (cut === "all") return loadNext(waiting, true).then(step);
      if (cut) return cut;
      return loadNext(waiting, false).then(step);
    }
    return Promise.resolve().then(step);
  };

  // Every word must match; failing that, any word (ranked by how many).
  function combine(perWord, limit) {
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
    return ranked.slice(0, limit).map(function (doc) { return [doc, total.get(doc)]; });
  }

  /**
   * With some postings still unloaded: the first `limit` results if they
   * are certain already (each complete, and ranked above anything the
   * unloaded postings could add up to), "all" when no document matches
   * every word so far (whether any word alone will do depends on all
   * postings), or null when more must be loaded.
   */
  Engine.prototype.settled = function (groups, perWord, seen, limit) {
    var self = this;
    // Per group and term: what a document not seen in the term's loaded
    // postings gets at most from the rest, and the first such document.
    var bounds = groups.map(function (g) {
      return g.map(function (x) { return self.bound(x.t, x.weight); });
    });
    var open = bounds.map(function (b) { return b.some(function (x) { return x > 0; }); });
    // The best a document outside the results could do: [score, doc],
    // doc >= 0 when the score is one term's bound alone (documents tied
    // with it come after that document), -1 otherwise.
    var best = [-Infinity, -1];
    function outside(score, doc) {
      if (score > best[0] || (score === best[0] && doc < best[1])) best = [score, doc];
    }
    var docs = new Set();
    perWord.forEach(function (scores) { scores.forEach(function (_, doc) { docs.add(doc); }); });
    var known = [];
    docs.forEach(function (doc) {
      var sum = 0;
      var all = true;
      var upper = 0;
      var possible = true;
      for (var g = 0; g < groups.length; g++) {
        var s = perWord[g].get(doc);
        if (s === undefined) {
          all = false;
          if (!open[g]) possible = false;
        } else {
          sum += s;
        }
        upper += s || 0;
        for (var k = 0; k < groups[g].length; k++) {
          if (bounds[g][k] > 0 && !seen[g][k].has(doc)) upper += bounds[g][k];
        }
      }
      if (all) known.push({ doc: doc, score: sum, upper: upper });
      else if (possible) outside(upper, -1);
    });
    if (known.length === 0 && groups.length > 1) return "all";
    if (open.every(function (x) { return x; })) {
      // A document listed nowhere yet could match through unloaded postings.
      var unseen = 0;
      var only = [];
      groups.forEach(function (g, i) {
        g.forEach(function (x, k) {
          if (bounds[i][k] > 0) {
            unseen += bounds[i][k];
            only.push(x.t);
          }
        });
      });
      outside(unseen, only.length === 1 ? only[0].more[only[0].loaded][2] : -1);
    }
    known.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var top = known.slice(0, limit);
    // Below the results, a complete score is final: only an incomplete one
    // could still rise above them.
    for (var i = limit; i < known.length; i++) {
      if (known[i].upper !== known[i].score) outside(known[i].upper, -1);
    }
    if (!top.every(function (x) { return x.upper === x.score; })) return null;
    if (best[0] === -Infinity) return top.map(function (x) { return [x.doc, x.score]; });
    if (top.length < limit) return null;
    var last = top[top.length - 1];
    // Sums of the same products in another order differ in their last
    // digits: scores this close count as a tie.
    var margin = 1e-9 * Math.abs(best[0]);
    var above = last.score > best[0] + margin ||
      (best[1] >= 0 && last.score >= best[0] - margin && last.doc < best[1]);
    return above ? top.map(function (x) { return [x.doc, x.score]; }) : null;
  };

  /** Promise of document `n`: { path, title, id, heading, body }. */
  Engine.prototype.doc = function (n) {
    var per = this.m.docShard;
    return this.get("d/" + Math.floor(n / per)).then(function (s) {
      var d = s.docs[n % per];
      var page = null;
      for (var i = 0; i < s.pages.length; i++) if (s.pages[i][0] === d[0]) page = s.pages[i];
      return { path: page[1], title: page[2], id: d[1], heading: d[2], body: d[3] };
    });
  };

  /**
   * Searches; promise of [{ path, id, title, heading, body, score, matches }]
   * best first. The last word of a query still being typed (no trailing
   * space) also matches as a prefix: "asyn" finds "async".
   */
  Engine.prototype.search = function (query, limit) {
    var self = this;
    limit = limit || MAX_RESULTS;
    return this.ready().then(function () {
      var text = self.text;
      var keys = text.words(query).map(function (w) { return text.key(w); }).filter(Boolean);
      if (keys.length === 0) return [];
      var typing = !/\s$/.test(query);
      // What the query matched, to mark it in the results.
      var hit = { terms: new Set(), keys: new Set(keys), prefix: null };
      var groups = keys.map(function (k, i) {
        return self.wanted(k, typing && i === keys.length - 1, hit);
      });
      return Promise.all(groups).then(function (groups) {
        return self.rank(groups, limit);
      }).then(function (ranked) {
        function matches(word) {
          var lw = word.toLowerCase();
          if (hit.prefix !== null && text.folded(lw).lastIndexOf(hit.prefix, 0) === 0) return true;
          var k = text.key(lw);
          if (k === "") return false;
          var t = text.term(k);
          if (t !== null) return hit.terms.has(t);
          // Without a stemmer: the words the query named, and the words
          // beginning with a term it matched.
          if (hit.keys.has(k)) return true;
          var begins = false;
          hit.terms.forEach(function (s) {
            if (s.length >= 3 && k.lastIndexOf(s, 0) === 0) begins = true;
          });
          return begins;
        }
        // How the results' text is cut into words to mark.
        matches.source = text.english ? WORD_SOURCE : MARKED_SOURCE;
        return Promise.all(ranked.map(function (r) {
          return self.doc(r[0]).then(function (d) {
            d.score = r[1];
            d.matches = matches;
            return d;
          });
        }));
      });
    });
  };

  /**
   * Promise of the terms one query word (its key) matches, as
   * [{ t, weight }]. `typing`: the word being typed (no space after it
   * yet), which also matches terms it begins, or failing that, terms
   * beginning with it less its last letters ("connecti" finds "connect",
   * the stem of "connection"), at half weight.
   */
  Engine.prototype.wanted = function (key, typing, hit) {
    var self = this;
    var direct = this.text.term(key);
    var names = direct !== null ? Promise.resolve([direct]) : this.stemsOf(key);
    return names.then(function (names) {
      names.forEach(function (n) { hit.terms.add(n); });
      return self.findAll(names);
    }).then(function (found) {
      var want = found.map(function (t) { return { t: t, weight: 1 }; });
      if (!typing) return want;
      function cut(n) {
        if (n > 3 || key.length - n < 3) return want;
        var p = key.slice(0, key.length - n);
        return self.startingWith(p, 50).then(function (more) {
          if (more.length === 0) return cut(n + 1);
          hit.prefix = p;
          more.forEach(function (x) {
            if (found.indexOf(x) < 0) want.push({ t: x, weight: 0.5 });
          });
          return want;
        });
      }
      return cut(0);
    });
  };

  /* ---------------------------------------------------------------- */
  /* Snippets and highlighting                                        */
  /* ---------------------------------------------------------------- */

  var SNIPPET = 160;

  /** Appends `text` to `parent`, each matching word wrapped in <mark>
   *  (words cut as `matches.source` says). */
  function appendMarked(parent, text, matches) {
    var last = 0;
    var m;
    var re = new RegExp(matches.source || WORD_SOURCE, "gu");
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
    var re = new RegExp(matches.source || WORD_SOURCE, "gu");
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
  /* Loading index files with <script> elements (works from file://)  */
  /* ---------------------------------------------------------------- */

  // Files asked for, waiting for their script to call versusSearchData.
  var waiting = Object.create(null);

  /** A loader for Engine: search/NAME.js through a <script> element. */
  function scriptLoader(base) {
    window.versusSearchData = function (name, data) {
      var resolve = waiting[name];
      if (resolve) {
        delete waiting[name];
        resolve(data);
      }
    };
    return function (name) {
      return new Promise(function (resolve, reject) {
        waiting[name] = resolve;
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.async = true;
        script.onload = function () {
          script.remove();
          if (waiting[name]) {
            delete waiting[name];
            reject(new Error(name + ".js held no index data"));
          }
        };
        script.onerror = function () {
          script.remove();
          delete waiting[name];
          reject(new Error(name + ".js could not be loaded"));
        };
        document.head.appendChild(script);
      });
    };
  }

  /* ---------------------------------------------------------------- */
  /* The search box                                                   */
  /* ---------------------------------------------------------------- */

  // The theme's words in the page's language: base.html writes those that
  // differ from English into <body data-words> (after <head>, whose
  // charset must come in its first 1024 bytes) (themes/default/i18n/).
  function word(key, english, values) {
    var words = {};
    try { words = JSON.parse(document.body.getAttribute("data-words") || "{}"); } catch (e) { /* English */ }
    var text = typeof words[key] === "string" ? words[key] : english;
    for (var name in values) text = text.split("{" + name + "}").join(values[name]);
    return text;
  }

  // "No results", "1 result", "5 results", "20+ results".
  function resultCount(n) {
    if (n === 0) return word("search_none", "No results");
    if (n === 1) return word("search_one", "1 result");
    if (n === MAX_RESULTS) return word("search_more", "{count}+ results", { count: n });
    return word("search_many", "{count} results", { count: n });
  }

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
    var ready = false;
    var failed = false;
    var asked = 0;
    var active = -1;
    var shown = [];
    list.hidden = true;

    function fail(message) {
      failed = true;
      status.textContent = message;
    }

    // Reads the manifest the first time the box is used.
    function load() {
      if (engine || failed) return;
      status.textContent = word("search_loading", "Loading search…");
      engine = new Engine(scriptLoader(box.getAttribute("data-index") || root + "search/"));
      engine.ready().then(function () {
        ready = true;
        if (status.textContent === word("search_loading", "Loading search…")) status.textContent = "";
        if (input.value.trim()) update();
      }, function () {
        fail(word("search_unloaded", "The search index could not be loaded."));
      });
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
      if (!ready) {
        if (query.trim()) load();
        return;
      }
      var ask = ++asked;
      if (!query.trim()) {
        show(query, []);
        return;
      }
      engine.search(query, MAX_RESULTS).then(function (results) {
        // A later query may have been answered already.
        if (ask === asked) show(query, results);
      }, function () {
        if (ask === asked) fail(word("search_unread", "The search index could not be read."));
      });
    }

    function show(query, results) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        shown = [];
        status.textContent = "";
        open(false);
        return;
      }
      shown = results;
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
      status.textContent = resultCount(n);
      if (n === 0) {
        var empty = document.createElement("li");
        empty.className = "search-empty";
        empty.setAttribute("role", "option");
        empty.setAttribute("aria-disabled", "true");
        empty.setAttribute("aria-selected", "false");
        empty.id = "search-result-none";
        empty.textContent = word("search_no_match", "No results for “{query}”", { query: query.trim() });
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

  var api = { tokenize: tokenize, stem: stem, terms: terms, Text: Text, Engine: Engine };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof window !== "undefined") {
    window.VersusSearch = api;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
    else setup();
  }
})();
