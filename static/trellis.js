// Trellis theme script: reveals mentor emails on request and filters index lists.
// The pages work without it; it only adds these two conveniences.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Emails are in the page reversed and hex-encoded, out of harvesters' reach.
  function decode(hex) {
    var out = "";
    for (var i = hex.length - 2; i >= 0; i -= 2) {
      out += String.fromCharCode(parseInt(hex.substr(i, 2), 16));
    }
    return out;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".email-reveal");
    if (!button) return;
    var holder = button.closest(".email");
    var address = decode(holder.getAttribute("data-email") || "");
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) return;
    var link = document.createElement("a");
    link.href = "mailto:" + address;
    link.textContent = address;
    holder.replaceChildren(link);
    link.focus();
  });

  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (item) {
        item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  });
})();
