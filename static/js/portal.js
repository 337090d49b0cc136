// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    window.print();
  }
  var confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
  }
});
