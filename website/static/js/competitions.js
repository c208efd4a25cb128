/* Competitions in the browser: the intake countdown ticks down each minute, and the start form shows only the
   section of the applicant type chosen. Conveniences only: the page reads the same without scripts, and the server
   enforces the deadline. */
(function () {
    "use strict";

    function pluralIndex(n) {
        if (document.documentElement.lang.indexOf("ru") === 0) {
            if (n % 10 === 1 && n % 100 !== 11) { return 0; }
            if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20)) { return 1; }
            return 2;
        }
        return n === 1 ? 0 : 2;
    }

    function unit(units, name, n) { return units[name][pluralIndex(n)].replace("{n}", n); }

    function left(units, milliseconds, lessThanMinute) {
        var minutes = Math.floor(milliseconds / 60000);
        var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), rest = minutes % 60;
        if (days) { return unit(units, "day", days) + (hours ? " " + unit(units, "hour", hours) : ""); }
        if (hours) { return unit(units, "hour", hours) + (rest ? " " + unit(units, "minute", rest) : ""); }
        if (rest) { return unit(units, "minute", rest); }
        return lessThanMinute;
    }

    function setUpCountdown(element) {
        var deadline = new Date(element.getAttribute("data-deadline")).getTime();
        var units = JSON.parse(element.getAttribute("data-units"));
        var timer;
        function tick() {
            var remaining = deadline - Date.now();
            if (remaining <= 0) {
                element.textContent = element.getAttribute("data-closed");
                element.classList.add("competition-countdown--closed");
                window.clearInterval(timer);
                return;
            }
            element.textContent = element.getAttribute("data-prefix") +
                left(units, remaining, element.getAttribute("data-less-than-minute"));
        }
        if (isNaN(deadline)) { return; }
        tick();
        timer = window.setInterval(tick, 60000);
    }

    function setUpStartForm(form) {
        var radios = form.querySelectorAll('input[name="applicant_type"]');
        function show() {
            var chosen = form.querySelector('input[name="applicant_type"]:checked');
            form.querySelectorAll("[data-applicant-section]").forEach(function (section) {
                section.hidden = chosen !== null && section.getAttribute("data-applicant-section") !== chosen.value;
            });
        }
        radios.forEach(function (radio) { radio.addEventListener("change", show); });
        show();
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("[data-countdown]").forEach(setUpCountdown);
        document.querySelectorAll("form[data-start-form]").forEach(setUpStartForm);
    });
})();
