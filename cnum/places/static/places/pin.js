/*
 * Place form: a draggable pin that fills the latitude and longitude fields. The fields stay
 * usable on their own (without JavaScript, or when the tiles cannot load).
 */
(function () {
  "use strict";

  var FRANCE = [46.6, 2.4];

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function init() {
    var element = document.getElementById("carte-repere");
    var latInput = document.getElementById("id_latitude");
    var lonInput = document.getElementById("id_longitude");
    if (!element || !latInput || !lonInput || !window.L) {
      return;
    }
    element.hidden = false;
    var lat = parseFloat(latInput.value.replace(",", ".")) || parseFloat(element.dataset.lat);
    var lon = parseFloat(lonInput.value.replace(",", ".")) || parseFloat(element.dataset.lon);
    var known = !isNaN(lat) && !isNaN(lon);
    var map = L.map(element, { scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, subdomains: "abc" }).addTo(map);
    }
    var start = known ? [lat, lon] : FRANCE;
    map.setView(start, known ? 16 : 5);
    var marker = L.marker(start, { draggable: true, alt: "Repère du lieu", title: "Repère du lieu" });
    marker.addTo(map);

    function store(point) {
      latInput.value = round(point.lat);
      lonInput.value = round(point.lng);
    }
    marker.on("dragend", function () {
      store(marker.getLatLng());
    });
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      store(event.latlng);
    });
  }

  init();
})();
