/* Our own small script: progress polling for background jobs, confirmations, autosave hooks.
   No inline scripts anywhere (strict Content Security Policy). */
(function () {
  "use strict";

  function pollJob(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("[data-progress-bar]");
    var statusEl = box.querySelector("[data-job-status]");
    var percentEl = box.querySelector("[data-job-percent]");
    var messageEl = box.querySelector("[data-job-message]");
    var delay = 700;
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          bar.value = data.progress;
          bar.textContent = data.progress + "%";
          statusEl.textContent = data.status_display;
          percentEl.textContent = data.progress;
          messageEl.textContent = data.message;
          if (data.finished) {
            box.setAttribute("data-finished", "1");
            window.location.reload();
          } else {
            delay = Math.min(delay * 1.2, 3000);
            window.setTimeout(tick, delay);
          }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, delay);
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  function autoSubmitSelects() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function collapseMenuOnPhones() {
    var menu = document.querySelector("details.nav-toggle");
    if (menu && window.matchMedia("(max-width: 760px)").matches) { menu.removeAttribute("open"); }
  }

  function markCurrentSection() {
    // The menu entry whose address is the longest prefix of the current page gets aria-current.
    var best = null;
    var bestLength = 0;
    document.querySelectorAll(".main-nav a[href]").forEach(function (link) {
      var path = new URL(link.href, window.location.href).pathname;
      var matches = path === "/" ? window.location.pathname === "/" : window.location.pathname.indexOf(path) === 0;
      if (matches && path.length > bestLength) { best = link; bestLength = path.length; }
    });
    if (best && !best.hasAttribute("aria-current")) {
      best.setAttribute("aria-current", bestLength === window.location.pathname.length ? "page" : "true");
    }
  }

  function openLinkedBlock() {
    // A link to a folded block (<details id=…>, or anything inside one) opens it and scrolls to it.
    if (!window.location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target) { return; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView();
  }

  window.addEventListener("hashchange", openLinkedBlock);

  document.addEventListener("DOMContentLoaded", function () {
    openLinkedBlock();
    collapseMenuOnPhones();
    markCurrentSection();
    document.querySelectorAll(".job-progress[data-finished='0']").forEach(pollJob);
    confirmForms();
    autoSubmitSelects();
  });
})();
