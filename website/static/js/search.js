// Suggestions as you type and instant filtering; the page works the same without this script.
(function () {
    "use strict";
    var form = document.querySelector("form.search-page");
    if (!form) { return; }
    var input = form.querySelector("input[name=q]");
    var list = document.getElementById("search-suggestions");
    var timer = null;
    var lang = document.documentElement.lang || "ru";

    input.addEventListener("input", function () {
        clearTimeout(timer);
        var text = input.value.trim();
        if (text.length < 2) { list.innerHTML = ""; return; }
        timer = setTimeout(function () {
            var url = form.dataset.suggestUrl + "?locale=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
            fetch(url, { headers: { "Accept": "application/json" } })
                .then(function (response) { return response.ok ? response.json() : []; })
                .then(function (items) {
                    list.innerHTML = "";
                    items.forEach(function (item) {
                        var option = document.createElement("option");
                        option.value = item.title;
                        list.appendChild(option);
                    });
                })
                .catch(function () { list.innerHTML = ""; });
        }, 200);
    });

    form.querySelectorAll(".search-facets input[type=checkbox]").forEach(function (box) {
        box.addEventListener("change", function () { form.submit(); });
    });
})();
