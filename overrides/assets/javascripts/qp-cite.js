// The "引用本条" boxes (generator/render/citation.py): absolute URLs where the
// site was built without a site_url, today's date as the date of citing, and
// the copy button. Plain script, no host needed: the addresses come from the
// one the page was opened at.
(function () {
  "use strict";

  // The root of the tree of editions: the page's address less its path in the
  // edition ("plans/x/") and the edition's own folder ("2023/" or "latest/").
  function treeRoot(pagePath) {
    var here = location.href.split("#")[0].split("?")[0].replace(/index\.html$/, "");
    if (pagePath && here.slice(-pagePath.length) === pagePath) {
      here = here.slice(0, here.length - pagePath.length);
    }
    return here.replace(/[^/]+\/$/, "");
  }

  function today() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Pages opened over plain http from another machine are no secure context.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      area.remove();
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function fill(box) {
    var marker = box.querySelector(".qp-cite[data-qp-page]");
    if (!marker) return;
    var root = treeRoot(marker.getAttribute("data-qp-page"));
    box.querySelectorAll("[data-qp-url]").forEach(function (el) {
      if (!/^https?:\/\//.test(el.textContent)) el.textContent = root + el.getAttribute("data-qp-url");
    });
    box.querySelectorAll("[data-qp-cite-date]").forEach(function (el) { el.textContent = today(); });
    var button = box.querySelector(".qp-cite-copy");
    var status = box.querySelector(".qp-cite-status");
    var reference = box.querySelector(".qp-cite-reference");
    if (!button || !reference) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(reference.textContent).then(
        function () { if (status) status.textContent = "已复制到剪贴板"; },
        function () { if (status) status.textContent = "无法自动复制，请选中上面的参考文献后手动复制"; }
      );
    });
  }

  document.querySelectorAll(".admonition").forEach(fill);
})();
