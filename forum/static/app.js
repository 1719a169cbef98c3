// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Tactic choices follow the chosen strategy (without JS, tactics are grouped by strategy).
  function linkTactics(form) {
    var strategy = form.querySelector("[data-strategy-select]");
    var tactic = form.querySelector("[data-tactic-select]");
    if (!strategy || !tactic) return;
    var groups = Array.prototype.slice.call(tactic.querySelectorAll("optgroup"));
    function update() {
      var label = strategy.options[strategy.selectedIndex].text;
      groups.forEach(function (group) {
        var match = group.label === label;
        group.hidden = !match;
        group.disabled = !match;
      });
      var chosen = tactic.options[tactic.selectedIndex];
      if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) {
        tactic.value = "0";
      }
    }
    strategy.addEventListener("change", update);
    update();
  }

  // Keep what was typed in the browser until the server has it (patchy signal on phones).
  function keepDraft(form) {
    var key = form.getAttribute("data-draft-key");
    if (!key || !window.localStorage) return;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var hasServerErrors = form.querySelector(".error") !== null;
    if (saved && !hasServerErrors) {
      Object.keys(saved).forEach(function (name) {
        var el = form.elements[name];
        if (!el || el.type === "hidden" || el.value) return;
        if (el.type === "checkbox") { el.checked = saved[name] === true; } else { el.value = saved[name]; }
      });
    }
    form.addEventListener("input", function () {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.name === "csrf_token") return;
        data[el.name] = el.type === "checkbox" ? el.checked : el.value;
      });
      localStorage.setItem(key, JSON.stringify(data));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      linkTactics(form);
      keepDraft(form);
    });
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      try { localStorage.removeItem(el.getAttribute("data-clear-draft")); } catch (e) { /* ignore */ }
    });
  });
})();

// Job progress: poll the status and update the bar; reload once the work has finished
// (the server then shows the result). Without JS a <noscript> refresh does the same.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-job-status]");
    if (!box || box.getAttribute("data-job-finished") === "true" || !window.fetch) return;
    var bar = box.querySelector("progress");
    var count = box.querySelector("[data-job-count]");
    function poll() {
      fetch(box.getAttribute("data-job-status"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.finished) { window.location.reload(); return; }
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          count.textContent = count.textContent.replace(/\d[\d,]*(\D+)\d[\d,]*/, job.done + "$1" + job.total);
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 4000); });
    }
    window.setTimeout(poll, 1000);
  });
})();

// A table wider than the phone scrolls sideways; make it reachable by keyboard too.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("table.compact, .table-scroll").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
});
