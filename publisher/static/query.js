/* The query page: start YASGUI (when the page loaded it) on our endpoint, and make the examples load
   into the editor. Without YASGUI, an example fills the plain form instead. No network beyond our own
   endpoint: the editor's remote autocompletion (LOV, prefix.cc) is turned off. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var initialQuery = readJson("initial-query") || "";
  var exampleQueries = readJson("example-queries") || {};
  var container = document.getElementById("yasgui");
  var textarea = document.getElementById("query-text");
  var yasgui = null;

  if (container && window.Yasgui) {
    var endpoint = new URL(container.dataset.endpoint, window.location.href).href;
    yasgui = new window.Yasgui(container, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      populateFromUrl: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      yasqe: { autocompleters: ["prefixes", "variables"], prefixCcApi: null, value: initialQuery },
      yasr: { defaultPlugin: "table", pluginOrder: ["table", "response"] }
    });
    var tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    tab.setQuery(initialQuery);
    document.documentElement.dataset.editor = "ready";
  }

  function loadExample(name) {
    var query = exampleQueries[name];
    if (query === undefined) {
      return false;
    }
    if (yasgui) {
      var tab = yasgui.getTab();
      tab.setQuery(query);
      tab.query();
      return true;
    }
    if (textarea) {
      textarea.value = query;
      textarea.focus();
      return true;
    }
    return false;
  }

  document.querySelectorAll("a.example-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (loadExample(link.dataset.example)) {
        event.preventDefault();
      }
    });
  });
})();
