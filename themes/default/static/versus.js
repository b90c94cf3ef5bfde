/* versus default theme: progressive enhancements.
 *
 * No dependencies, no network, works from file://. Everything here is
 * optional: without it the page shows every code panel under its label,
 * follows the OS colour scheme, and keeps all navigation working.
 *
 *  1. theme toggle (light/dark, remembered)
 *  2. copy buttons on code figures
 *  3. code groups as WAI-ARIA tabs, synced across groups, pages and visits
 *  4. wide-screen disclosures kept open; active TOC entry while scrolling
 *  5. tables that scroll sideways made focusable
 *
 * localStorage keys:
 *  - "versus-theme": "light" | "dark" (also read by the inline script in
 *    base.html's <head>, which applies it before the first paint)
 *  - "versus-tabs":  JSON array of tab labels, most recently chosen first
 */
(function () {
  "use strict";

  var THEME_KEY = "versus-theme";
  var TABS_KEY = "versus-tabs";
  var MAX_REMEMBERED_TABS = 12;

  // localStorage may be missing or throw (file:// in some browsers,
  // privacy modes); the site must work the same without it.
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* ignore */ }
  }

  // The theme's words in the page's language: base.html writes those that
  // differ from English into <body data-words> (after <head>, whose
  // charset must come in its first 1024 bytes) (themes/default/i18n/).
  var WORDS = {};
  try { WORDS = JSON.parse(document.body.getAttribute("data-words") || "{}"); } catch (e) { /* English */ }
  function word(key, english, values) {
    var text = typeof WORDS[key] === "string" ? WORDS[key] : english;
    for (var name in values) text = text.split("{" + name + "}").join(values[name]);
    return text;
  }

  // One polite live region for short status messages ("Copied"). It is
  // created up front: screen readers only announce changes to a region
  // that was already in the document.
  var liveRegion = null;
  function createLiveRegion() {
    if (liveRegion) return;
    liveRegion = document.createElement("div");
    liveRegion.className = "visually-hidden";
    liveRegion.setAttribute("aria-live", "polite");
    liveRegion.setAttribute("aria-atomic", "true");
    document.body.appendChild(liveRegion);
  }
  function announce(message) {
    createLiveRegion();
    // Clear first so repeating the same message is announced again.
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = message; }, 100);
  }

  var idCounter = 0;
  function uniqueId(prefix) {
    var id;
    do { id = prefix + "-" + (++idCounter); } while (document.getElementById(id));
    return id;
  }

  /* ---------------------------------------------------------------- */
  /* 1. Theme toggle                                                   */
  /* ---------------------------------------------------------------- */

  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(className, paths) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", className);
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "2");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var p = document.createElementNS(SVG_NS, "path");
      p.setAttribute("d", d);
      svg.appendChild(p);
    });
    return svg;
  }

  function setupThemeToggle() {
    var tools = document.querySelector(".header-tools");
    if (!tools) return;
    var root = document.documentElement;
    var osDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

    function isDark() {
      var chosen = root.getAttribute("data-theme");
      if (chosen === "dark") return true;
      if (chosen === "light") return false;
      return !!(osDark && osDark.matches);
    }

    // A toggle button: pressed means dark. The accessible name stays the
    // same and aria-pressed carries the state.
    var button = document.createElement("button");
    button.type = "button";
    button.className = "theme-toggle";
    button.setAttribute("aria-label", word("theme_dark", "Dark theme"));
    button.appendChild(icon("icon-moon", ["M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"]));
    button.appendChild(icon("icon-sun", [
      "M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10z",
      "M12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4"
    ]));

    function sync() {
      var dark = isDark();
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.title = dark ? word("theme_to_light", "Switch to light theme") : word("theme_to_dark", "Switch to dark theme");
    }

    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      save(THEME_KEY, next);
      sync();
    });
    if (osDark) {
      var onOsChange = function () { sync(); };
      if (osDark.addEventListener) osDark.addEventListener("change", onOsChange);
      else if (osDark.addListener) osDark.addListener(onOsChange);
    }
    // Another tab changed the theme: follow it.
    window.addEventListener("storage", function (event) {
      if (event.key !== THEME_KEY) return;
      if (event.newValue === "light" || event.newValue === "dark") {
        root.setAttribute("data-theme", event.newValue);
      } else {
        root.removeAttribute("data-theme");
      }
      sync();
    });

    sync();
    tools.appendChild(button);
    tools.classList.add("has-toggle");
  }

  /* ---------------------------------------------------------------- */
  /* 2. Copy buttons                                                   */
  /* ---------------------------------------------------------------- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }

  // Fallback for contexts without the async clipboard API.
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.top = "-1000px";
      area.style.opacity = "0";
      document.body.appendChild(area);
      var active = document.activeElement;
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (active && active.focus) active.focus();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function setupCopyButtons() {
    var figures = document.querySelectorAll("figure.code");
    if (figures.length) createLiveRegion();
    Array.prototype.forEach.call(figures, function (figure) {
      var code = figure.querySelector("pre code") || figure.querySelector("pre");
      if (!code) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = word("copy", "Copy");
      // The visible word starts the accessible name (label in name).
      var title = figure.querySelector(".code-title");
      button.setAttribute("aria-label", title ? word("copy_code_named", "Copy code: {title}", { title: title.textContent.trim() }) : word("copy_code", "Copy code"));
      var timer = null;
      button.addEventListener("click", function () {
        // textContent ignores generated content, so line numbers (a CSS
        // counter) are never copied. Drop one trailing newline.
        var text = code.textContent.replace(/\n$/, "");
        copyText(text).then(function () {
          button.textContent = word("copied", "Copied");
          button.classList.add("is-copied");
          announce(word("copied_status", "Copied to clipboard"));
        }, function () {
          button.textContent = word("copy_failed", "Failed");
          announce(word("copy_failed_status", "Copy failed: select the code and copy it by hand"));
        }).then(function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.textContent = word("copy", "Copy");
            button.classList.remove("is-copied");
          }, 2000);
        });
      });
      figure.appendChild(button);
    });
  }

  /* ---------------------------------------------------------------- */
  /* 3. Code groups as tabs                                            */
  /* ---------------------------------------------------------------- */

  // Remembered labels, most recent first. A group selects the first of
  // them it has, so "Python" chosen once wins in every group offering it,
  // whatever the other labels are.
  function loadPreferredTabs() {
    var raw = load(TABS_KEY);
    if (!raw) return [];
    try {
      var list = JSON.parse(raw);
      return Array.isArray(list) ? list.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) { return []; }
  }
  function rememberTab(label) {
    var list = loadPreferredTabs().filter(function (x) { return x !== label; });
    list.unshift(label);
    save(TABS_KEY, JSON.stringify(list.slice(0, MAX_REMEMBERED_TABS)));
  }

  var tabGroups = [];   // { tabs: [button], panels: [div], labels: [string] }

  function selectInGroup(group, index, moveFocus) {
    group.tabs.forEach(function (tab, i) {
      var selected = i === index;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;     // roving tabindex
      group.panels[i].hidden = !selected;
    });
    if (moveFocus) group.tabs[index].focus();
  }

  // Select `label` in every group that has it. The clicked tab is kept at
  // the same place on screen even if groups above it change height.
  function selectLabel(label, origin) {
    var before = origin ? origin.getBoundingClientRect().top : 0;
    tabGroups.forEach(function (group) {
      var i = group.labels.indexOf(label);
      if (i !== -1) selectInGroup(group, i, false);
    });
    if (origin) {
      var shift = origin.getBoundingClientRect().top - before;
      if (shift) window.scrollBy(0, shift);
    }
  }

  function setupCodeGroups() {
    var groups = document.querySelectorAll(".code-group");
    Array.prototype.forEach.call(groups, function (el) {
      // Columns layout keeps every panel visible side by side.
      if (el.getAttribute("data-layout") === "columns") return;
      var panels = Array.prototype.filter.call(el.children, function (c) {
        return c.classList.contains("code-panel");
      });
      if (panels.length < 2) return;

      var group = { tabs: [], panels: panels, labels: [] };
      var tablist = document.createElement("div");
      tablist.className = "code-tablist";
      tablist.setAttribute("role", "tablist");
      tablist.setAttribute("aria-label", word("code_variants", "Code variants"));

      panels.forEach(function (panel, i) {
        var labelEl = panel.querySelector(".code-tab-label");
        var label = panel.getAttribute("data-tab") ||
          (labelEl ? labelEl.textContent.trim() : word("code_tab", "Tab {count}", { count: i + 1 }));
        if (!panel.id) panel.id = uniqueId("code-panel");
        var tab = document.createElement("button");
        tab.type = "button";
        tab.className = "code-tab";
        tab.id = uniqueId("code-tab");
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-controls", panel.id);
        tab.textContent = label;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        // The panel's <pre> is focusable already; make the panel itself
        // focusable only when it holds nothing focusable.
        if (!panel.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
          panel.tabIndex = 0;
        }

        tab.addEventListener("click", function () {
          rememberTab(label);
          selectLabel(label, tab);
        });
        tab.addEventListener("keydown", function (event) {
          var n = group.tabs.length;
          var target = -1;
          switch (event.key) {
            case "ArrowRight": target = (i + 1) % n; break;
            case "ArrowLeft": target = (i - 1 + n) % n; break;
            case "Home": target = 0; break;
            case "End": target = n - 1; break;
            default: return;
          }
          event.preventDefault();
          // Automatic activation: moving focus selects the tab.
          var nextLabel = group.labels[target];
          rememberTab(nextLabel);
          selectLabel(nextLabel, group.tabs[i]);
          selectInGroup(group, target, true);
        });

        group.tabs.push(tab);
        group.labels.push(label);
        tablist.appendChild(tab);
      });

      el.insertBefore(tablist, el.firstChild);
      el.classList.add("is-tabbed");
      tabGroups.push(group);
    });

    // Initial selection: the most recently chosen label each group has,
    // else its first tab.
    var preferred = loadPreferredTabs();
    tabGroups.forEach(function (group) {
      var index = 0;
      for (var p = 0; p < preferred.length; p++) {
        var found = group.labels.indexOf(preferred[p]);
        if (found !== -1) { index = found; break; }
      }
      selectInGroup(group, index, false);
    });

    // A choice made in another tab or window applies here too.
    window.addEventListener("storage", function (event) {
      if (event.key !== TABS_KEY) return;
      var list = loadPreferredTabs();
      if (list.length) selectLabel(list[0], null);
    });
  }

  /* ---------------------------------------------------------------- */
  /* 4. Disclosures that are open on wide screens; TOC scroll spy      */
  /* ---------------------------------------------------------------- */

  // <details data-open-at="(media query)"> is opened while the query
  // matches and closed again when the screen narrows.
  function setupResponsiveDisclosures() {
    if (!window.matchMedia) return;
    var all = document.querySelectorAll("details[data-open-at]");
    Array.prototype.forEach.call(all, function (details) {
      var mq = window.matchMedia(details.getAttribute("data-open-at"));
      var apply = function () { details.open = mq.matches; };
      apply();
      if (mq.addEventListener) mq.addEventListener("change", apply);
      else if (mq.addListener) mq.addListener(apply);
    });
  }

  // Marks the TOC link of the heading currently being read.
  function setupScrollSpy() {
    var links = document.querySelectorAll(".toc-list a[href^='#']");
    if (!links.length) return;
    var entries = [];
    Array.prototype.forEach.call(links, function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var heading = document.getElementById(id);
      if (heading) entries.push({ link: link, heading: heading });
    });
    if (!entries.length) return;

    var current = null;
    var scheduled = false;
    function update() {
      scheduled = false;
      // The last heading above the upper quarter of the viewport.
      var line = window.innerHeight * 0.25;
      var active = null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.getBoundingClientRect().top <= line) active = entries[i];
        else break;
      }
      // At the very bottom, the last heading counts even if it is low.
      if ((window.innerHeight + window.scrollY) >= document.documentElement.scrollHeight - 2) {
        active = entries[entries.length - 1];
      }
      if (active === current) return;
      if (current) {
        current.link.classList.remove("is-active");
        current.link.removeAttribute("aria-current");
      }
      current = active;
      if (current) {
        current.link.classList.add("is-active");
        current.link.setAttribute("aria-current", "location");
      }
    }
    function schedule() {
      if (!scheduled) { scheduled = true; window.requestAnimationFrame(update); }
    }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    // At the next frame, not now: reading positions right after the other
    // set-ups changed the page would force a layout in the same task.
    schedule();
  }

  /* ---------------------------------------------------------------- */
  /* 5. Scrollable tables reachable by keyboard                        */
  /* ---------------------------------------------------------------- */

  // Markdown tables scroll sideways when they are wider than the column
  // (style.css). A scroll container needs to be focusable for keyboard
  // users, so tables that overflow get tabindex=0 (and lose it when they
  // fit again). Shortcode tables sit in a focusable .table-wrap already.
  function setupScrollableTables() {
    var tables = document.querySelectorAll(".prose table");
    tables = Array.prototype.filter.call(tables, function (t) {
      return !t.closest(".table-wrap");
    });
    if (!tables.length) return;
    function update() {
      tables.forEach(function (t) {
        if (t.scrollWidth > t.clientWidth + 1) {
          if (!t.hasAttribute("tabindex")) t.setAttribute("tabindex", "0");
        } else if (t.getAttribute("tabindex") === "0") {
          t.removeAttribute("tabindex");
        }
      });
    }
    window.requestAnimationFrame(update);
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 150);
    });
  }

  function init() {
    // What changes the page's layout runs at once, before the next paint.
    setupThemeToggle();
    setupResponsiveDisclosures();
    setupCodeGroups();
    // The rest waits for a later task: copy buttons sit over their code
    // without moving anything, and the scroll spy and the table check
    // read the layout anyway. One long task would keep a phone from
    // answering a tap meanwhile (on a 4,000-element page this one took
    // 55-85 ms of a simulated phone's time before it was split).
    window.setTimeout(function () {
      setupCopyButtons();
      setupScrollSpy();
      setupScrollableTables();
    }, 0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
