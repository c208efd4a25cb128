/* Form engine in the browser: conditional fields, cost rows and autosave.
   Conveniences only: the server checks conditions and recomputes sums on every save. */
(function () {
    "use strict";
    document.documentElement.classList.add("js");

    function normalise(text) { return String(text).trim().toLowerCase().replace(/ё/g, "е"); }
    function number(text) {
        var cleaned = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
        return cleaned === "" || isNaN(cleaned) ? null : parseFloat(cleaned);
    }

    function answerOf(form, name, kind) {
        var inputs = form.querySelectorAll('[name="' + name + '"]');
        var values = [];
        inputs.forEach(function (input) {
            if (input.disabled) { return; }
            if (input.type === "radio" || input.type === "checkbox") {
                if (input.checked) { values.push(input.value); }
            } else if (input.tagName === "SELECT") {
                if (input.value) { values.push(input.options[input.selectedIndex].text); }
            } else if (input.value !== "") {
                values.push(input.value);
            }
        });
        if (kind === "yes_no") { return values.map(function (v) { return v === "yes" ? "да" : "нет"; }); }
        return values.map(normalise);
    }

    function holds(rule, answers) {
        if (!answers.length) { return false; }
        if (rule.operator === "answered") { return true; }
        if (rule.operator === "greater_than" || rule.operator === "less_than" || rule.kind === "number") {
            var answer = number(answers[0]), expected = number(rule.values[0]);
            if (answer === null || expected === null) { return false; }
            if (rule.operator === "greater_than") { return answer > expected; }
            if (rule.operator === "less_than") { return answer < expected; }
            if (rule.operator === "not_equals") { return answer !== expected; }
            return answer === expected;
        }
        var expectedValues = rule.values.map(function (v) {
            if (rule.kind !== "yes_no") { return v; }
            return ["да", "yes", "true", "1"].indexOf(v) >= 0 ? "да" : (["нет", "no", "false", "0"].indexOf(v) >= 0 ? "нет" : v);
        });
        if (rule.operator === "not_equals") { return answers.indexOf(expectedValues[0]) < 0; }
        return expectedValues.some(function (v) { return answers.indexOf(v) >= 0; });
    }

    function applyRules(form) {
        form.querySelectorAll("[data-rule]").forEach(function (field) {
            var rule = JSON.parse(field.getAttribute("data-rule"));
            var target = form.querySelector('[data-field-id="' + rule.target + '"]');
            var shown = target && !target.hidden && holds(rule, answerOf(form, rule.target, rule.kind));
            field.hidden = !shown;
            field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
        });
    }

    function setUpCostRows(container) {
        var body = container.querySelector("tbody");
        var max = parseInt(container.getAttribute("data-max-rows"), 10);
        var addButton = container.querySelector("[data-add-row]");
        function recompute() {
            var total = 0;
            body.querySelectorAll("[data-row]").forEach(function (row) {
                var inputs = row.querySelectorAll("input");
                var quantity = number(inputs[1].value), price = number(inputs[3].value);
                var cell = row.querySelector("[data-row-amount]");
                if (quantity !== null && price !== null) {
                    var amount = Math.round(quantity * price * 100) / 100;
                    total += amount;
                    cell.textContent = amount.toLocaleString("ru-RU", {minimumFractionDigits: 2, maximumFractionDigits: 2});
                } else {
                    cell.textContent = "";
                }
            });
            container.querySelector("[data-total]").textContent =
                total.toLocaleString("ru-RU", {minimumFractionDigits: 2, maximumFractionDigits: 2});
        }
        addButton.hidden = false;
        addButton.addEventListener("click", function () {
            var rows = body.querySelectorAll("[data-row]");
            if (rows.length >= max) { addButton.disabled = true; return; }
            var copy = rows[rows.length - 1].cloneNode(true);
            var index = rows.length;
            copy.querySelector("[data-row-number]").textContent = index + 1;
            copy.querySelector("[data-row-amount]").textContent = "";
            copy.querySelectorAll("input").forEach(function (input) {
                input.value = "";
                input.name = input.name.replace(/-\d+-(\w+)$/, "-" + index + "-$1");
                input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, index + 1));
            });
            body.appendChild(copy);
            copy.querySelector("input").focus();
            addButton.disabled = index + 1 >= max;
        });
        container.addEventListener("input", recompute);
        recompute();
    }

    function setUpAutosave(form) {
        var status = form.querySelector("[data-autosave-status]");
        var changed = false, saving = false;
        form.addEventListener("input", function () { changed = true; });
        form.addEventListener("change", function () { changed = true; });
        form.addEventListener("submit", function () { changed = false; });
        window.setInterval(function () {
            if (!changed || saving) { return; }
            changed = false;
            saving = true;
            var data = new FormData(form);
            form.querySelectorAll('input[type="file"]').forEach(function (input) { data.delete(input.name); });
            data.set("action", "autosave");
            fetch(window.location.pathname, {method: "POST", body: data, credentials: "same-origin",
                                             headers: {"X-Requested-With": "XMLHttpRequest"}})
                .then(function (response) { return response.json(); })
                .then(function (answer) {
                    status.textContent = answer.saved
                        ? "Черновик сохранён в " + answer.saved_at
                        : "Черновик не сохранён: " + answer.errors.map(function (e) {
                            return (e.label ? "«" + e.label + "»: " : "") + e.message; }).join("; ");
                })
                .catch(function () { status.textContent = "Нет связи с сервером: черновик сохранится позже."; changed = true; })
                .finally(function () { saving = false; });
        }, 20000);
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("form.stream-form").forEach(function (form) {
            applyRules(form);
            form.addEventListener("change", function () { applyRules(form); });
            form.addEventListener("input", function () { applyRules(form); });
            form.querySelectorAll("[data-cost-rows]").forEach(setUpCostRows);
            if (form.getAttribute("data-autosave") === "true") { setUpAutosave(form); }
        });
        var summary = document.getElementById("error-summary");
        if (summary) { summary.focus(); }
    });
})();
