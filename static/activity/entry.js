// Entry form of activity records: shows only the fields of the chosen type, the orientation
// details when « orienté » is checked, and searches the directory without reloading the page.
// Hidden parts are disabled so that their values are not sent; without this script every part
// shows and the server checks everything the same way.
(function () {
  "use strict";
  var form = document.getElementById("cra-form");
  if (!form) return;

  function show(part, visible) {
    part.hidden = !visible;
    part.classList.toggle("fr-hidden", !visible); // DSFR fieldsets are display: flex
    part.disabled = !visible;
  }

  function checkedType() {
    var checked = form.querySelector('input[name="type"]:checked');
    return checked ? checked.value : null;
  }

  function updateType() {
    var type = checkedType();
    form.querySelectorAll("[data-type-only]").forEach(function (part) {
      show(part, type === null || part.dataset.typeOnly === type);
    });
  }

  var oriente = null;
  var details = form.querySelector("[data-shown-by]");
  if (details) oriente = document.getElementById(details.dataset.shownBy);

  function updateOrientation() {
    if (details && oriente) show(details, oriente.checked);
  }

  form.querySelectorAll('input[name="type"]').forEach(function (radio) {
    radio.addEventListener("change", updateType);
  });
  if (oriente) oriente.addEventListener("change", updateOrientation);
  updateType();
  updateOrientation();

  // Directory search: the server answers with the radio buttons of the places found.
  var searchInput = document.getElementById("id_orientation_recherche");
  var searchButton = document.getElementById("chercher-lieu");
  var timer = null;
  var lastQuery = null;

  function search() {
    var query = searchInput.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    var chosen = form.querySelector('input[name="orientation_place"]:checked');
    var params = new URLSearchParams({ orientation_recherche: query });
    if (chosen && chosen.value) params.set("orientation_place", chosen.value);
    fetch(form.dataset.directoryUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (query !== lastQuery) return; // a later search is on its way
        var results = document.getElementById("orientation-resultats");
        var next = document.createElement("div");
        next.innerHTML = html.trim();
        results.replaceWith(next.firstElementChild);
      })
      .catch(function () {
        lastQuery = null; // the button still reloads the page with the results
      });
  }

  if (searchInput && searchButton) {
    searchButton.addEventListener("click", function (event) {
      event.preventDefault();
      lastQuery = null;
      search();
    });
    searchInput.addEventListener("input", function () {
      clearTimeout(timer);
      if (searchInput.value.trim().length >= 2) timer = setTimeout(search, 300);
    });
  }

  // Enter in a text field saves the record (or searches, in the search field), as users expect,
  // whichever button comes first in the page.
  var save = document.getElementById("enregistrer");
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT") return;
    if (["checkbox", "radio", "submit", "button"].indexOf(target.type) !== -1) return;
    event.preventDefault();
    if (target === searchInput) {
      lastQuery = null;
      search();
    } else if (save) {
      form.requestSubmit(save);
    }
  });
})();
