/* The query page: start YASGUI (when the page loaded it) on our endpoint, and make the examples load
   into the editor. Without YASGUI, an example fills the plain form instead. No network beyond our own
   endpoint: the editor's remote autocompletion (LOV, prefix.cc) is turned off, and a shared link
   (/sparql#query=...) opens its query on this endpoint whatever endpoint it names. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var initialQuery = readJson("initial-query") || "";
  var dataset = readJson("dataset-terms") || { base: "", prefixes: {} };
  var exampleQueries = readJson("example-queries") || {};
  var container = document.getElementById("yasgui");
  var textarea = document.getElementById("query-text");
  var yasgui = null;

  if (container && window.Yasgui) {
    var endpoint = new URL(container.dataset.endpoint, window.location.href).href;
    var shared = new URLSearchParams(window.location.hash.slice(1));
    if (shared.has("query")) {
      // Keep only the query of a shared link: it runs here, never on an endpoint the link names.
      var kept = new URLSearchParams({ query: shared.get("query"), endpoint: endpoint });
      window.history.replaceState(null, "", "#" + kept.toString());
    }
    yasgui = new window.Yasgui(container, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      populateFromUrl: true, // the editor's share links carry the query after the #
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      yasqe: { autocompleters: ["prefixes", "variables"], prefixCcApi: null, value: initialQuery },
      yasr: { defaultPlugin: "table", pluginOrder: ["table", "response"], prefixes: dataset.prefixes }
    });
    new MutationObserver(function () { localise(container); }).observe(container, { childList: true, subtree: true });
    var tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    if (!shared.has("query")) {
      tab.setQuery(initialQuery);
    }
    document.documentElement.dataset.editor = "ready";
  }

  /* Our own IRIs link to this server (as the other pages do), so a copy run locally keeps working. */
  function localise(root) {
    if (!dataset.base) {
      return;
    }
    root.querySelectorAll("a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href.indexOf(dataset.base) === 0) {
        link.setAttribute("href", dataset.mount + "/" + href.slice(dataset.base.length));
        link.removeAttribute("target");
      }
    });
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
