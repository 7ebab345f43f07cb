/*
 * Commune combobox (WAI-ARIA 1.2 combobox pattern, list autocomplete).
 * htmx fetches the options into the listbox; this file handles the ARIA states, the keyboard
 * (Down, Up, Enter, Escape, Alt+Down) and announces the number of results in the live region.
 * Without JavaScript the input is a plain text field that the server resolves.
 */
(function () {
  "use strict";

  if (window.htmx) {
    // Strict CSP: htmx must not inject its inline indicator <style> nor evaluate code.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }

  function announce(combobox, count) {
    var text = "";
    if (count > 0) {
      text = (count === 1 ? "1 commune proposée" : count + " communes proposées") +
        ". Flèches haut et bas pour parcourir, Entrée pour choisir.";
    } else if (combobox.input.value.trim()) {
      text = "Aucune commune trouvée.";
    }
    combobox.status.textContent = text;
  }

  function Combobox(root) {
    this.root = root;
    this.input = root.querySelector("[role=combobox]");
    this.listbox = document.getElementById(this.input.getAttribute("aria-controls"));
    this.status = root.querySelector("[data-combobox-status]");
    this.active = -1;
    this.bind();
  }

  Combobox.prototype.options = function () {
    return Array.prototype.slice.call(this.listbox.querySelectorAll("[role=option]"));
  };

  Combobox.prototype.isOpen = function () {
    return this.input.getAttribute("aria-expanded") === "true";
  };

  Combobox.prototype.open = function () {
    if (this.options().length === 0) return false;
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    return true;
  };

  Combobox.prototype.close = function () {
    this.setActive(-1);
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  Combobox.prototype.setActive = function (index) {
    var options = this.options();
    this.active = index;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.choose = function (option) {
    this.input.value = option.getAttribute("data-label");
    this.close();
    this.status.textContent = option.getAttribute("data-label") + " choisie.";
    this.input.dispatchEvent(new CustomEvent("commune:choisie", {
      bubbles: true,
      detail: { code: option.getAttribute("data-value"), libelle: option.getAttribute("data-label") }
    }));
  };

  // New options arrived (htmx swapped them in).
  Combobox.prototype.refresh = function () {
    var listboxId = this.listbox.id;
    var options = this.options();
    options.forEach(function (option, i) {
      option.id = listboxId + "-" + i;
    });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (options.length && document.activeElement === this.input) {
      this.open();
    } else {
      this.close();
    }
    announce(this, options.length);
  };

  Combobox.prototype.move = function (step) {
    var count = this.options().length;
    if (!count) return;
    if (!this.isOpen()) {
      this.open();
      this.setActive(step > 0 ? 0 : count - 1);
      return;
    }
    var next = this.active + step;
    if (next >= count) next = 0;
    if (next < 0) next = count - 1;
    this.setActive(next);
  };

  Combobox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (event.altKey) { self.open(); } else { self.move(1); }
          break;
        case "ArrowUp":
          event.preventDefault();
          self.move(-1);
          break;
        case "Enter":
          // Enter picks the highlighted option; otherwise it submits the form as usual.
          if (self.isOpen() && self.active >= 0) {
            event.preventDefault();
            self.choose(self.options()[self.active]);
          }
          break;
        case "Escape":
          if (self.isOpen()) {
            event.preventDefault();
            self.close();
          } else if (self.input.value) {
            event.preventDefault();
            self.input.value = "";
          }
          break;
        case "Tab":
          self.close();
          break;
        default:
          break;
      }
    });
    this.input.addEventListener("blur", function () { self.close(); });
    // Keep the focus in the input while clicking an option.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(option);
    });
    // Send the text as ?q=, whatever the field's name in its form.
    this.input.addEventListener("htmx:configRequest", function (event) {
      event.detail.parameters = { q: self.input.value };
    });
  };

  var comboboxes = [];

  function init(scope) {
    var roots = (scope || document).querySelectorAll("[data-commune-combobox]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.comboboxReady) return;
      root.comboboxReady = true;
      comboboxes.push(new Combobox(root));
    });
  }

  // Fired on the listbox and on each new option: react once, on the listbox itself.
  document.addEventListener("htmx:afterSettle", function (event) {
    comboboxes.forEach(function (combobox) {
      if (combobox.listbox === event.target) combobox.refresh();
    });
    if (event.target && event.target.querySelector) init(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
})();
