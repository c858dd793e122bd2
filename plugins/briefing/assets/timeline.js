/* Filter the timeline in place by rule and by source. Without JavaScript the timeline is
   complete and its "only one rule or source" links lead to the rule and source pages. */
(function () {
  "use strict";

  function setUp() {
    var tools = document.querySelector(".briefing-timeline-tools");
    var claims = Array.prototype.slice.call(document.querySelectorAll(".briefing-timeline li.briefing-claim"));
    if (!tools || !claims.length || tools.querySelector(".briefing-filter-live")) return;
    // The words, in the site's language, come with the page (data-words).
    var words = JSON.parse(tools.getAttribute("data-words") || "{}");
    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(words.language) : null;
    function say(key, values) {
      var text = words[key] || "";
      if (typeof text === "object") text = text[plural ? plural.select(values.count) : "other"] || text.other;
      return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
    }

    function options(attr, names) {
      var seen = {};
      claims.forEach(function (li) {
        li.getAttribute(attr).split(" ").forEach(function (id) { if (id) seen[id] = names[id] || id; });
      });
      return Object.keys(seen).sort(function (a, b) { return seen[a].localeCompare(seen[b]); })
        .map(function (id) { return [id, seen[id]]; });
    }
    function namesFrom(selector) {
      var names = {};
      tools.querySelectorAll(selector).forEach(function (a) {
        var parts = a.getAttribute("href").split("#")[0].split("/").filter(Boolean);
        names[parts[parts.length - 1]] = a.textContent;
      });
      return names;
    }
    function select(label, attr, names) {
      var wrap = document.createElement("label");
      wrap.textContent = label + " ";
      var menu = document.createElement("select");
      menu.dataset.attr = attr;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = say("filter_all", {});
      menu.appendChild(all);
      options(attr, names).forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        menu.appendChild(option);
      });
      wrap.appendChild(menu);
      return wrap;
    }

    var box = document.createElement("div");
    box.className = "briefing-filter-live";
    var byRule = select(say("filter_rule", {}), "data-rules", namesFrom(".briefing-filter-rules a"));
    var bySource = select(say("filter_source", {}), "data-source", namesFrom(".briefing-filter-sources a"));
    var count = document.createElement("p");
    count.className = "briefing-filter-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(byRule);
    box.appendChild(bySource);
    box.appendChild(count);
    tools.appendChild(box);
    // One set of controls: the links for visitors without JavaScript give way to the menus.
    var links = tools.querySelector("details.briefing-filter");
    if (links) links.hidden = true;

    function apply() {
      var rule = byRule.querySelector("select").value;
      var source = bySource.querySelector("select").value;
      var hidden = 0;
      claims.forEach(function (li) {
        var show = (!rule || li.getAttribute("data-rules").split(" ").indexOf(rule) >= 0) &&
                   (!source || li.getAttribute("data-source") === source);
        li.hidden = !show;
        if (!show) hidden += 1;
      });
      // Hide month and year headings left with no visible claim.
      document.querySelectorAll(".briefing-timeline").forEach(function (list) {
        var empty = !list.querySelector("li.briefing-claim:not([hidden])");
        list.hidden = empty;
        var heading = list.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = empty;
      });
      document.querySelectorAll(".md-content h2").forEach(function (year) {
        var next = year.nextElementSibling, any = false;
        while (next && next.tagName !== "H2") {
          if (next.classList.contains("briefing-timeline") && !next.hidden) any = true;
          next = next.nextElementSibling;
        }
        year.hidden = !any;
      });
      count.textContent = hidden
        ? say("filter_hidden", {hidden: hidden, count: claims.length})
        : say("filter_showing_all", {count: claims.length});
    }
    box.addEventListener("change", apply);
    apply();
  }

  /* The rules index sorts by name (as built) or by when each status began, newest first.
     Without JavaScript it stays in name order. */
  function setUpSorting() {
    document.querySelectorAll("table.briefing-sortable").forEach(function (table) {
      if (table.querySelector("th button")) return;
      var body = table.tBodies[0];
      var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
      headers.forEach(function (th) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "briefing-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () {
          var key = th.getAttribute("data-sort");
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            if (key === "name") return Number(a.dataset.name) - Number(b.dataset.name);
            var x = a.dataset.since, y = b.dataset.since;  // ISO dates at their precision
            if (x !== y) return x < y ? 1 : -1;  // newest first; no status ("") last
            return Number(a.dataset.name) - Number(b.dataset.name);
          });
          rows.forEach(function (row) { body.appendChild(row); });
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", key === "name" ? "ascending" : "descending");
        });
      });
    });
  }

  function setUpAll() { setUp(); setUpSorting(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setUpAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
