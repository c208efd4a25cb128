// Maps of the TOS pages, drawn with Leaflet. The directory's map loads the GeoJSON feed with the page's filters;
// a profile's map draws the geometry given in its config. Tiles appear only when the site configures a tile URL:
// without them the TOS are drawn as points and boundaries on a plain background. The pages work without this script.
(function () {
    "use strict";
    if (!window.L) { return; }

    var POLYGON_STYLE = { color: "#0b4f9c", weight: 2, fillColor: "#0b4f9c", fillOpacity: 0.15 };

    function markerAt(latlng, title) {
        return L.marker(latlng, {
            title: title,
            alt: title,
            keyboard: true,
            icon: L.divIcon({ className: "tos-marker", iconSize: [18, 18] })
        });
    }

    function popupFor(properties, texts) {
        var box = document.createElement("div");
        var heading = document.createElement("p");
        var strong = document.createElement("strong");
        if (properties.url) {
            var link = document.createElement("a");
            link.href = properties.url;
            link.textContent = properties.title;
            strong.appendChild(link);
        } else {
            strong.textContent = properties.title;
        }
        heading.appendChild(strong);
        box.appendChild(heading);
        if (properties.municipality) {
            var place = document.createElement("p");
            place.textContent = properties.municipality;
            box.appendChild(place);
        }
        if (properties.residents !== null && properties.residents !== undefined) {
            var residents = document.createElement("p");
            residents.textContent = texts.residents + ": " + Number(properties.residents).toLocaleString("ru-RU");
            box.appendChild(residents);
        }
        if (properties.url) {
            var more = document.createElement("p");
            var open = document.createElement("a");
            open.href = properties.url;
            open.textContent = texts.open;
            more.appendChild(open);
            box.appendChild(more);
        }
        return box;
    }

    function centreOf(feature) {
        var geometry = feature.geometry;
        if (geometry.type === "Point") { return [geometry.coordinates[1], geometry.coordinates[0]]; }
        var centre = feature.properties && feature.properties.centre;
        if (centre) { return [centre[1], centre[0]]; }
        return null;
    }

    function draw(map, features, texts, withPopups) {
        var group = L.featureGroup();
        features.forEach(function (feature) {
            var properties = feature.properties || {};
            var shape = null;
            if (feature.geometry.type !== "Point") {
                shape = L.geoJSON(feature.geometry, { style: POLYGON_STYLE });
                group.addLayer(shape);
            }
            var centre = centreOf(feature);
            var marker = centre ? markerAt(centre, properties.title || "") : null;
            if (marker) { group.addLayer(marker); }
            if (withPopups) {
                if (shape) { shape.bindPopup(popupFor(properties, texts)); }
                if (marker) { marker.bindPopup(popupFor(properties, texts)); }
            }
        });
        group.addTo(map);
        if (group.getLayers().length) {
            map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 15 });
        }
        return group.getLayers().length;
    }

    function init(container) {
        var configElement = document.getElementById(container.getAttribute("data-config-id"));
        if (!configElement) { return; }
        var config = JSON.parse(configElement.textContent);
        var wrap = container.parentNode;
        var status = wrap.querySelector("[data-tos-map-status]");
        var note = wrap.querySelector("[data-tos-map-note]");
        function say(text) { if (status) { status.textContent = text || ""; } }

        container.hidden = false;
        if (note) { note.hidden = false; }
        var map = L.map(container, { scrollWheelZoom: false, attributionControl: Boolean(config.tiles) });
        map.setView(config.centre, config.zoom);
        if (config.tiles) {
            L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
        }

        if (config.geometry) {
            draw(map, [{ type: "Feature", geometry: config.geometry, properties: { title: config.title } }], config.texts, false);
            return;
        }
        var feedUrl = container.getAttribute("data-feed-url");
        if (!feedUrl) { return; }
        say(config.texts.loading);
        fetch(feedUrl, { headers: { "Accept": "application/geo+json, application/json" } })
            .then(function (response) {
                if (!response.ok) { throw new Error(response.status); }
                return response.json();
            })
            .then(function (collection) {
                var drawn = draw(map, collection.features || [], config.texts, true);
                say(drawn ? "" : config.texts.empty);
            })
            .catch(function () { say(config.texts.failed); });
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-tos-map]"), init);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
