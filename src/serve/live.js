// Live reload for `versus watch`: served by the dev server only, never
// part of a built site. Reloads the page when its output changed, swaps
// stylesheets when only CSS changed, keeps the scroll position, and shows
// build errors in an overlay until the next good build.
(function () {
  "use strict";
  var SCROLL_KEY = "versus-live-scroll:" + location.pathname;
  var script = document.currentScript;
  var servedBuild = script ? script.getAttribute("data-build") : null;

  function currentKey() {
    var p = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (p === "" || p.endsWith("/")) p += "index.html";
    return p;
  }

  try {
    var saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved !== null) {
      sessionStorage.removeItem(SCROLL_KEY);
      var y = parseInt(saved, 10);
      window.addEventListener("load", function () { window.scrollTo(0, y); });
      window.scrollTo(0, y);
    }
  } catch (e) { /* storage unavailable: no scroll restore */ }

  function reload() {
    try { sessionStorage.setItem(SCROLL_KEY, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.toString();
    });
  }

  var overlay = null;
  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function showOverlay(err) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.id = "versus-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build error");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
      "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto";
    var title = document.createElement("p");
    title.style.cssText = "font-size:1.2rem;font-weight:bold;color:#ff8a80;margin:0 0 1rem";
    title.textContent = "Build failed" + (err.file ? ": " + err.file + (err.line ? ":" + err.line : "") : "");
    var message = document.createElement("p");
    message.className = "versus-error-message";
    message.textContent = err.message;
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;color:#e0e0e0";
    pre.textContent = err.text;
    var note = document.createElement("p");
    note.style.cssText = "color:#bdbdbd";
    note.textContent = "The last good build is still served. Fix the file and save: this closes by itself.";
    overlay.append(title, message, pre, note);
    document.body.appendChild(overlay);
  }

  var source = new EventSource("/__versus/events");
  // On (re)connecting: a rebuild made while this page loaded, or while the
  // connection was down, means this page is behind.
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (servedBuild !== null && String(data.build) !== servedBuild && overlay === null) reload();
  });
  source.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    var hadOverlay = overlay !== null;
    hideOverlay();
    if (data.css_only) { swapStylesheets(); return; }
    var key = currentKey();
    // Pages, stylesheets and the site-wide indexes (search, feeds) change
    // with most edits; any other file (an image, a script) reloads every page.
    var others = data.changed.some(function (c) {
      return !/\.(html|css|xml|txt)$/.test(c) && c.lastIndexOf("search/", 0) !== 0;
    });
    if (hadOverlay || others || data.changed.indexOf(key) !== -1) reload();
    else if (data.changed.some(function (c) { return /\.css$/.test(c); })) swapStylesheets();
  });
  source.addEventListener("build-error", function (event) {
    showOverlay(JSON.parse(event.data));
  });
})();
