// forum.assist, progressive enhancement: the "suggest" button works without this file. With it,
// suggestions follow the typing (GET /o/<slug>/assist) and a tap on a tactic sets the lists.
(function () {
  "use strict";
  var section = document.querySelector("[data-assist-url]");
  if (!section || !window.fetch) return;
  var form = section.closest("form");
  var results = section.querySelector("#assist-results");
  var fields = ["title", "objective", "target"].map(function (n) { return form.elements[n]; });
  var village = form.elements["village_id"];
  var strategy = form.elements["strategy_id"];
  var tactic = form.elements["tactic_id"];
  var timer = null;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function villageNumber() {
    if (!village || !village.value || village.value === "0") return "";
    var match = /(\d+)/.exec(village.options[village.selectedIndex].text);
    return match ? match[1] : "";
  }

  function choose(s) {
    var prefix = s.strategy + ". ";
    Array.prototype.forEach.call(strategy.options, function (o) {
      if (o.text.indexOf(prefix) === 0) strategy.value = o.value;
    });
    strategy.dispatchEvent(new Event("change"));
    Array.prototype.forEach.call(tactic.querySelectorAll("optgroup"), function (g) {
      if (g.label.indexOf(prefix) !== 0) return;
      Array.prototype.forEach.call(g.querySelectorAll("option"), function (o) {
        if (o.text.indexOf(s.tactic + " ") === 0) tactic.value = o.value;
      });
    });
  }

  function render(data) {
    var t = section.dataset;
    results.textContent = "";
    if (data.tactics.length) {
      results.appendChild(el("h3", t.tacticsHeading));
      var list = el("ul", null, { "class": "assist-list" });
      data.tactics.forEach(function (s) {
        var button = el("button", t.tacticLabel.replace("%s", s.strategy).replace("%t", s.tactic) + ": " + s.title,
          { type: "button", "class": "assist-pick", "aria-pressed": "false" });
        button.addEventListener("click", function () {
          choose(s);
          list.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
          button.setAttribute("aria-pressed", "true");
        });
        var item = el("li");
        item.appendChild(button);
        list.appendChild(item);
      });
      results.appendChild(list);
    }
    if (data.similar.length) {
      results.appendChild(el("h3", t.similarHeading));
      var similar = el("ul", null, { "class": "assist-list" });
      data.similar.forEach(function (p) {
        var item = el("li");
        item.appendChild(el("a", "#" + p.id + " " + p.title, { href: "/proposals/" + p.id }));
        if (["draft", "merged", "withdrawn", "village_rejected", "rejected"].indexOf(p.status) < 0) {
          item.appendChild(el("br"));
          item.appendChild(el("button", t.supportLabel,
            { type: "submit", name: "assist_support", value: String(p.id), formnovalidate: "" }));
        }
        similar.appendChild(item);
      });
      results.appendChild(similar);
    }
  }

  // What is sent of each field: a Thai letter takes 9 bytes in a URL, and servers refuse a
  // request line over 4 KB (gunicorn's default); the title says most of what matters.
  var SENT = [200, 120, 80];

  function ask() {
    var params = new URLSearchParams();
    ["title", "objective", "target"].forEach(function (n, i) {
      params.set(n, fields[i] ? fields[i].value.trim().slice(0, SENT[i]) : "");
    });
    params.set("village", villageNumber());
    fetch(section.dataset.assistUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () { /* the button still works */ });
  }

  fields.concat([village]).forEach(function (f) {
    if (!f) return;
    f.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 700);
    });
  });
})();
