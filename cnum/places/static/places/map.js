/*
 * Public map of places (Leaflet). The list of places in the page is the content; this script
 * only draws the same places on a map. Without JavaScript, or without tiles, the list suffices.
 */
(function () {
  "use strict";

  var FRANCE = [46.6, 2.4];

  function notice(text) {
    var status = document.getElementById("carte-lieux-statut");
    if (status) {
      status.textContent = text;
      status.hidden = false;
    }
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function addTiles(map, element) {
    var url = element.dataset.tileUrl;
    if (!url) {
      notice("Fond de carte désactivé : la liste des lieux reste complète.");
      return;
    }
    var failed = false;
    var layer = L.tileLayer(url, {
      attribution: escapeHtml(element.dataset.tileAttribution || ""),
      maxZoom: 19,
      subdomains: "abc",
    });
    layer.on("tileerror", function () {
      if (!failed) {
        failed = true;
        notice("Le fond de carte n'a pas pu être chargé : la liste des lieux reste complète.");
      }
    });
    layer.addTo(map);
  }

  function popup(item) {
    var content = document.createElement("div");
    var name = item.dataset.placeName;
    if (item.dataset.placeUrl) {
      var link = document.createElement("a");
      link.href = item.dataset.placeUrl;
      if (item.dataset.placeTarget) {
        link.target = item.dataset.placeTarget;
        link.rel = "noopener";
      }
      link.textContent = name;
      content.appendChild(link);
    } else {
      content.textContent = name;
    }
    return content;
  }

  function init() {
    var element = document.getElementById("carte-lieux");
    if (!element || !window.L) {
      return;
    }
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    addTiles(map, element);
    var points = [];
    document.querySelectorAll("[data-place-lat]").forEach(function (item) {
      var point = [parseFloat(item.dataset.placeLat), parseFloat(item.dataset.placeLon)];
      if (isNaN(point[0]) || isNaN(point[1])) {
        return;
      }
      L.marker(point, { title: item.dataset.placeName, alt: item.dataset.placeName })
        .bindPopup(popup(item))
        .addTo(map);
      points.push(point);
    });
    var lat = parseFloat(element.dataset.originLat);
    var lon = parseFloat(element.dataset.originLon);
    if (!isNaN(lat) && !isNaN(lon)) {
      L.circleMarker([lat, lon], { radius: 6 }).addTo(map);
      points.push([lat, lon]);
    }
    if (points.length > 1) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
    } else if (points.length === 1) {
      map.setView(points[0], 15);
    } else {
      map.setView(FRANCE, 5);
    }
  }

  init();
})();
