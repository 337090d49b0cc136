// Small progressive enhancements; every page works without them.
// No inline script or on…= handler anywhere: the Content-Security-Policy allows only this file.

// Progress bars: the width comes from data-progress (0–100). Setting it through the DOM is
// allowed by the policy; a style="width: …" attribute in the markup is not.
function drawProgressBars() {
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    var value = Math.max(0, Math.min(100, parseFloat(bar.dataset.progress) || 0));
    bar.style.width = value + "%";
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawProgressBars);
} else {
  drawProgressBars();
}

document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    window.print();
  }
  var confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
  }
});

// "Add a row" under a formset: copy the empty form and count it in TOTAL_FORMS.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".js-add-row");
  if (!button) {
    return;
  }
  var prefix = button.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById(prefix + "-empty");
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index));
  document.getElementById(prefix + "-rows").insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
});
