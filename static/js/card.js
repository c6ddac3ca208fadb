/* The principal's expert card: autosave as they type, a local copy so closing the tab loses nothing,
   a refused save (someone else saved first) shown clearly, live share and disagreement hints.
   No inline scripts (strict CSP); the page works without this file through the plain form. */
(function () {
  "use strict";

  var DELAY = 800;

  function init(form) {
    var cardId = form.getAttribute("data-card-id");
    var saveUrl = form.getAttribute("data-save-url");
    var storageKey = "expert-card-draft-" + cardId;
    var stateEl = form.querySelector("[data-save-state]");
    var versionInput = form.querySelector("[data-version-input]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var dirty = {};
    var timer = null;
    var saving = false;
    var blocked = false;

    function setState(text, kind) {
      stateEl.textContent = text;
      stateEl.className = "autosave-state" + (kind ? " autosave-" + kind : "");
    }

    function articles() { return form.querySelectorAll("article[data-criterion]"); }
    function article(code) {
      var found = null;
      articles().forEach(function (a) { if (a.getAttribute("data-criterion") === code) { found = a; } });
      return found;
    }

    function readAnswer(a) {
      var answer = { criterion: a.getAttribute("data-criterion") };
      a.querySelectorAll("[data-field]").forEach(function (input) {
        var name = input.getAttribute("data-field");
        answer[name] = input.type === "checkbox" ? input.checked : input.value;
      });
      return answer;
    }

    function writeAnswer(a, answer) {
      a.querySelectorAll("[data-field]").forEach(function (input) {
        var name = input.getAttribute("data-field");
        if (!(name in answer)) { return; }
        if (input.type === "checkbox") { input.checked = !!answer[name]; } else { input.value = answer[name]; }
      });
    }

    function typedBeforeScript(a) {
      var changed = false;
      a.querySelectorAll("[data-field]").forEach(function (input) {
        if (input.type === "checkbox") { changed = changed || input.checked !== input.defaultChecked; }
        else if (input.tagName === "SELECT") {
          var initial = 0;
          Array.prototype.forEach.call(input.options, function (o, i) { if (o.defaultSelected) { initial = i; } });
          changed = changed || input.selectedIndex !== initial;
        } else { changed = changed || input.value !== input.defaultValue; }
      });
      return changed;
    }

    function loadLocal() {
      try { return JSON.parse(window.localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
    }
    function storeLocal() {
      var copy = {};
      Object.keys(dirty).forEach(function (code) { var a = article(code); if (a) { copy[code] = readAnswer(a); } });
      try {
        if (Object.keys(copy).length) { window.localStorage.setItem(storageKey, JSON.stringify(copy)); }
        else { window.localStorage.removeItem(storageKey); }
      } catch (e) { /* private mode: the server copy is all we have */ }
    }

    function clearErrors(a) { a.querySelectorAll("[data-error-for]").forEach(function (p) { p.textContent = ""; }); }
    function showErrors(errors) {
      Object.keys(errors || {}).forEach(function (code) {
        var a = article(code);
        if (!a) { return; }
        Object.keys(errors[code]).forEach(function (field) {
          var p = a.querySelector("[data-error-for='" + field + "']") || a.querySelector("[data-error-for='claimed']");
          if (p) { p.textContent = errors[code][field]; }
        });
      });
    }

    function refreshHints(a) {
      var kind = a.getAttribute("data-kind");
      var claimed = false;
      if (kind === "share") {
        var num = parseInt(a.querySelector("[data-field=numerator]").value, 10);
        var den = parseInt(a.querySelector("[data-field=denominator]").value, 10);
        var threshold = parseFloat(a.getAttribute("data-threshold") || "0");
        var out = a.querySelector("[data-share-result]");
        if (den > 0 && num >= 0 && num <= den) {
          var share = num * 100 / den;
          claimed = share >= threshold;
          out.textContent = "Доля " + share.toFixed(1).replace(".", ",") + "\u00a0% — " + (claimed ? "балл заявлен" : "ниже порога " + String(threshold).replace(".", ",") + "\u00a0%");
        } else { out.textContent = ""; }
      } else if (kind === "number") {
        var value = parseFloat((a.querySelector("[data-field=value]").value || "").replace(",", "."));
        claimed = value >= parseFloat(a.getAttribute("data-threshold") || "0");
      } else if (kind === "choice") {
        var select = a.querySelector("[data-field=choice]");
        var match = select.options[select.selectedIndex] ? /\((\d+) балл/.exec(select.options[select.selectedIndex].text) : null;
        var got = match ? parseInt(match[1], 10) : 0;
        claimed = got > 0;
        a.setAttribute("data-claimed-points", String(got));
      } else if (kind === "link") {
        claimed = !!(a.querySelector("[data-field=evidence]").value || "").trim();
      } else {
        var box = a.querySelector("[data-field=claimed]");
        claimed = !!(box && box.checked);
      }
      if (a.getAttribute("data-points") === "0" && kind !== "choice") { claimed = false; }
      a.setAttribute("data-claimed", claimed ? "1" : "0");
      var flag = a.querySelector("[data-disagree-flag]");
      var computed = a.getAttribute("data-computed");
      if (flag) {
        var disagree = computed && computed !== "none" && (computed === "yes") !== claimed;
        flag.hidden = !disagree;
        a.classList.toggle("criterion-disagree", !!disagree);
      }
    }

    // The claimed total as the server counts it (monitoring.rules.score_points): each section capped at
    // its maximum. Every [data-claimed-total] on the page shows it: the figure at the top and the bar.
    function refreshTotal() {
      var total = 0;
      form.querySelectorAll("[data-section-max]").forEach(function (section) {
        var earned = 0;
        section.querySelectorAll("article[data-criterion]").forEach(function (a) {
          if (a.getAttribute("data-claimed") === "1") {
            earned += parseInt(a.getAttribute("data-claimed-points") || a.getAttribute("data-points"), 10);
          }
        });
        total += Math.min(earned, parseInt(section.getAttribute("data-section-max"), 10));
      });
      document.querySelectorAll("[data-claimed-total]").forEach(function (el) { el.textContent = String(total); });
    }

    function save() {
      timer = null;
      if (saving || blocked) { return; }
      var codes = Object.keys(dirty);
      if (!codes.length) { return; }
      saving = true;
      var answers = codes.map(function (code) { return readAnswer(article(code)); });
      setState("Сохраняется…");
      fetch(saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify({ version: parseInt(versionInput.value, 10), answers: answers })
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (result) {
        saving = false;
        var data = result.data;
        window.setTimeout(function () { form.dispatchEvent(new Event("card:saved")); }, 0);
        if (data.version) {
          // Saved, perhaps except some fields: those stay marked, unsaved and kept in this browser.
          var failed = data.errors || {};
          versionInput.value = data.version;
          form.setAttribute("data-version", data.version);
          answers.forEach(function (sent) {
            var a = article(sent.criterion);
            clearErrors(a);
            if (!(sent.criterion in failed) && JSON.stringify(readAnswer(a)) === JSON.stringify(sent)) {
              delete dirty[sent.criterion];
            }
          });
          showErrors(failed);
          storeLocal();
          var status = document.querySelector("[data-card-status]");
          if (status) { status.textContent = data.status_display; }
          if (data.ok) {
            setState("Черновик сохранён в " + data.saved_at + ".", "ok");
            if (Object.keys(dirty).length) { schedule(); }
          } else {
            setState(data.error + " Не сохранены критерии: " + Object.keys(failed).join(", ") + ".", "error");
          }
        } else if (result.status === 409) {
          blocked = true;
          setState(data.error + " Ваши несохранённые изменения остались в этом браузере.", "error");
        } else {
          answers.forEach(function (sent) { clearErrors(article(sent.criterion)); });
          showErrors(data.errors);
          setState(data.error || "Черновик не сохранён.", "error");
        }
      }).catch(function () {
        saving = false;
        setState("Нет связи с порталом: изменения сохранены в этом браузере и будут отправлены, когда связь появится.", "error");
        timer = window.setTimeout(save, 5000);
      });
    }

    function schedule() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, DELAY);
    }

    function changed(event) {
      var a = event.target.closest("article[data-criterion]");
      if (!a) { return; }
      dirty[a.getAttribute("data-criterion")] = true;
      refreshHints(a);
      refreshTotal();
      storeLocal();
      if (!blocked) { setState("Есть несохранённые изменения…"); schedule(); }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    // Leaving the page with unsaved changes: send them with the form encoding the server also accepts.
    window.addEventListener("pagehide", function () {
      var codes = Object.keys(dirty);
      if (!codes.length || blocked || !navigator.sendBeacon) { return; }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("version", versionInput.value);
      codes.forEach(function (code) {
        var answer = readAnswer(article(code));
        Object.keys(answer).forEach(function (name) {
          if (name === "criterion") { return; }
          if (name === "claimed") { data.append("present", code); if (answer.claimed) { data.append("a-" + code + "-claimed", "on"); } return; }
          data.append("a-" + code + "-" + name, answer[name]);
        });
      });
      navigator.sendBeacon(saveUrl, data);
    });

    // The form itself carries every field: cancel pending autosaves so they cannot race with it.
    var pendingSubmitter = null;
    var submitPending = false;
    form.addEventListener("submit", function (event) {
      if (saving) {
        event.preventDefault();
        pendingSubmitter = event.submitter || null;
        submitPending = true;
        setState("Дождитесь окончания сохранения…");
        return;
      }
      if (timer) { window.clearTimeout(timer); timer = null; }
      blocked = true;
    });
    form.addEventListener("card:saved", function () {
      if (submitPending && !blocked) {
        var submitter = pendingSubmitter;
        submitPending = false;
        pendingSubmitter = null;
        if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
      }
    });

    form.querySelectorAll("[data-confirm-click]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm-click"))) { event.preventDefault(); }
      });
    });

    // Restore what was typed but not saved (tab closed, connection lost, a refused save).
    var local = loadLocal();
    var restored = 0;
    Object.keys(local).forEach(function (code) {
      var a = article(code);
      if (!a) { return; }
      if (JSON.stringify(readAnswer(a)) !== JSON.stringify(local[code])) {
        writeAnswer(a, local[code]);
        dirty[code] = true;
        restored += 1;
      }
    });
    var typed = 0;
    // What was typed while this file was still loading (a slow connection) differs from the page's own
    // values: it is unsaved too.
    articles().forEach(function (a) {
      if (!dirty[a.getAttribute("data-criterion")] && typedBeforeScript(a)) {
        dirty[a.getAttribute("data-criterion")] = true;
        typed += 1;
      }
    });
    articles().forEach(refreshHints);
    refreshTotal();
    if (restored) {
      setState("Восстановлены несохранённые изменения по критериям: " + restored + ". Сохраняем…");
      schedule();
    } else if (typed) {
      storeLocal();
      setState("Есть несохранённые изменения…");
      schedule();
    } else {
      storeLocal();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("card-form");
    if (form) {
      init(form);
    } else {
      var idHolder = document.querySelector("[data-card-readonly]");
      if (idHolder) {
        try { window.localStorage.removeItem("expert-card-draft-" + idHolder.getAttribute("data-card-readonly")); } catch (e) { /* ignore */ }
      }
    }
  });
})();
