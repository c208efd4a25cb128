/* The TOS profile form in the personal cabinet: a map that fills the GeoJSON field, and a button adding council rows.
   Conveniences only: without JavaScript the GeoJSON textarea and the blank council row work alone, and the
   server checks everything. Settings (tile URL, centre, zoom, words) come from the "tos-map-settings" JSON. */
(function () {
    "use strict";

    function readSettings() {
        var node = document.getElementById("tos-map-settings");
        return node ? JSON.parse(node.textContent) : null;
    }

    function parse(text) {
        try {
            var value = JSON.parse(text);
            return value && typeof value === "object" ? value : null;
        } catch (error) {
            return null;
        }
    }

    function geometryOf(value) {
        return value && value.type === "Feature" ? value.geometry : value;
    }

    function rounded(number) {
        return Math.round(number * 1e6) / 1e6;
    }

    function initMap(container, settings) {
        var textarea = document.getElementById(container.getAttribute("data-for"));
        if (!textarea || typeof window.L === "undefined") {
            return;
        }
        var L = window.L;
        container.hidden = false;
        container.setAttribute("aria-label", settings.labels.map);
        var map = L.map(container).setView(settings.centre, settings.zoom);
        if (settings.tileUrl) {
            L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
        } else {
            var note = document.createElement("p");
            note.className = "form-field__help";
            note.textContent = settings.labels.noTiles;
            container.insertAdjacentElement("afterend", note);
        }

        var layer = null;
        function draw(fit) {
            if (layer) {
                map.removeLayer(layer);
                layer = null;
            }
            var value = parse(textarea.value);
            if (!value) {
                return;
            }
            try {
                // Points as circles: the Leaflet build shipped here has no marker icon images.
                layer = L.geoJSON(value, {
                    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 8 }); }
                }).addTo(map);
            } catch (error) {
                layer = null;
                return;
            }
            var bounds = layer.getBounds();
            if (fit && bounds.isValid()) {
                map.fitBounds(bounds, { maxZoom: 16 });
            }
        }

        map.on("click", function (event) {
            if (textarea.matches(":disabled")) {
                return;
            }
            var current = geometryOf(parse(textarea.value));
            if (current && current.type !== "Point" && !window.confirm(settings.labels.replacePolygon)) {
                return;
            }
            var point = { type: "Point", coordinates: [rounded(event.latlng.lng), rounded(event.latlng.lat)] };
            textarea.value = JSON.stringify(point);
            draw(false);
        });
        textarea.addEventListener("change", function () { draw(true); });
        draw(true);
    }

    function initCouncilRows(button) {
        var template = document.getElementById("council-empty-row");
        var rows = document.querySelector("[data-council-rows]");
        var total = document.getElementById("id_" + button.getAttribute("data-prefix") + "-TOTAL_FORMS");
        if (!template || !rows || !total) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            var index = parseInt(total.value, 10);
            var holder = document.createElement("div");
            holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
            var row = holder.querySelector("fieldset");
            rows.appendChild(row);
            total.value = String(index + 1);
            var first = row.querySelector("input:not([type=hidden]), select, textarea");
            if (first) {
                first.focus();
            }
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        var settings = readSettings();
        if (settings) {
            document.querySelectorAll("[data-geometry-map]").forEach(function (container) {
                initMap(container, settings);
            });
        }
        document.querySelectorAll("[data-add-council-row]").forEach(initCouncilRows);
    });
})();
