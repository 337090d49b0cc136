// Small progressive enhancements; every page works without them.
// No inline script or on…= handler anywhere: the Content-Security-Policy allows only this file.

// `step` once the page is parsed: at once when this script runs after that.
function onReady(step) {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", step);
  } else {
    step();
  }
}

// Progress bars: the width comes from data-progress (0–100). Setting it through the DOM is
// allowed by the policy; a style="width: …" attribute in the markup is not.
function drawProgressBars() {
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    var value = Math.max(0, Math.min(100, parseFloat(bar.dataset.progress) || 0));
    bar.style.width = value + "%";
  });
}
onReady(drawProgressBars);

document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    window.print();
  }
});

// Irreversible steps: a form, or the button that sends it, with data-confirm="…" asks first in
// the page's own dialog (#confirm-dialog in base.html), which speaks the page's language —
// window.confirm() would label its buttons in the browser's. data-confirm-ok names the button
// that goes ahead ("Gửi", "Khóa"…). Without this script the step runs without asking, as a
// plain form does.
function askToConfirm(message, okLabel, onConfirm) {
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    if (window.confirm(message)) {
      onConfirm();
    }
    return;
  }
  dialog.querySelector(".js-confirm-text").textContent = message;
  var ok = dialog.querySelector(".js-confirm-ok");
  ok.textContent = okLabel || ok.dataset.defaultLabel;
  dialog.returnValue = "";
  dialog.addEventListener("close", function done() {
    dialog.removeEventListener("close", done);
    if (dialog.returnValue === "ok") {
      onConfirm();
    }
  });
  dialog.showModal();
  ok.focus();
}

// One press, one request: a POST form that is on its way ignores further presses, and its
// buttons say so, so a double click or an impatient second click never sends twice.
function markSending(form, submitter) {
  form.dataset.sending = "1";
  if (submitter && submitter.name) {
    // A disabled button's name/value is not sent: carry the pressed one in a hidden field.
    var carried = document.createElement("input");
    carried.type = "hidden";
    carried.name = submitter.name;
    carried.value = submitter.value;
    form.appendChild(carried);
  }
  form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")
    .forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    });
  if (form.hasAttribute("data-download")) {
    // A download leaves the page where it is: give the buttons back for the next one.
    window.setTimeout(function () { releaseForm(form); }, 3000);
  }
}

function releaseForm(form) {
  delete form.dataset.sending;
  form.querySelectorAll("[aria-disabled=true]").forEach(function (button) {
    button.disabled = false;
    button.removeAttribute("aria-disabled");
  });
}

document.addEventListener("submit", function (event) {
  var form = event.target;
  var submitter = event.submitter || null;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && submitter && submitter.dataset.confirmCount) {
    // "Accept the {count} ticked reports?": the question names how many boxes are ticked;
    // with none ticked the server says what to do.
    var ticked = form.querySelectorAll("input[type=checkbox][name='" +
                                       submitter.dataset.confirmCount + "']:checked").length;
    message = ticked ? message.replace("{count}", String(ticked)) : "";
  }
  if (message && message.indexOf("{field:") !== -1) {
    // "Merge A into {field:into} from {field:on}?": the question names what was chosen in the
    // form (a list's visible label, a box's text); with a field left empty the server says
    // what to fill in instead of a question about nothing.
    var missing = false;
    message = message.replace(/\{field:([\w-]+)\}/g, function (whole, name) {
      var field = form.elements[name];
      var text = "";
      if (field && field.tagName === "SELECT") {
        text = field.value ? field.options[field.selectedIndex].text.trim() : "";
      } else if (field && typeof field.value === "string") {
        text = field.value.trim();
      }
      if (!text) { missing = true; }
      return text;
    });
    if (missing) { message = ""; }
  }
  if (message && !form.dataset.confirmed) {
    event.preventDefault();
    var okLabel = (submitter && submitter.dataset.confirmOk) || form.dataset.confirmOk;
    askToConfirm(message, okLabel, function () {
      form.dataset.confirmed = "1";
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(submitter);
      } else {
        form.submit();
      }
    });
    return;
  }
  delete form.dataset.confirmed;
  if ((form.getAttribute("method") || "get").toLowerCase() === "post") {
    leavingOnPurpose = true;
    // After this event the browser collects the fields; disabling now would drop the button.
    window.setTimeout(function () { markSending(form, submitter); }, 0);
  }
});

// Coming back with the Back button shows the page as it was left, buttons included.
window.addEventListener("pageshow", function (event) {
  if (event.persisted) {
    document.querySelectorAll("form[data-sending]").forEach(releaseForm);
  }
});

// Unsaved typing: a form marked data-warn-unsaved asks before the page is left with changes
// not yet sent (the browser's own "leave site?" prompt). Sending the form is not leaving.
var leavingOnPurpose = false;
document.addEventListener("input", function (event) {
  var form = event.target.form;
  if (form && form.hasAttribute("data-warn-unsaved")) {
    form.dataset.dirty = "1";
  }
});
window.addEventListener("beforeunload", function (event) {
  if (leavingOnPurpose || !document.querySelector("form[data-warn-unsaved][data-dirty]")) {
    return;
  }
  event.preventDefault();
  event.returnValue = "";
});

// Dates are typed as dd/mm/yyyy in a text box; a button beside each opens the browser's own
// date picker and writes the picked day back in that format.
function pad(number) {
  return (number < 10 ? "0" : "") + number;
}

function addDatePicker(input) {
  if (input.dataset.picker) {
    return;
  }
  input.dataset.picker = "1";
  var picker = document.createElement("input");
  picker.type = "date";
  picker.tabIndex = -1;
  picker.className = "date-picker-proxy";
  picker.setAttribute("aria-hidden", "true");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-secondary date-picker-button";
  button.setAttribute("aria-label", document.body.dataset.pickDate || "Pick a date");
  button.title = button.getAttribute("aria-label");
  button.textContent = "\u{1F4C5}";
  var group = document.createElement("div");
  group.className = "input-group date-input-group";
  input.parentNode.insertBefore(group, input);
  group.appendChild(input);
  group.appendChild(button);
  group.appendChild(picker);
  button.addEventListener("click", function () {
    var match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.value.trim());
    picker.value = match ? match[3] + "-" + pad(+match[2]) + "-" + pad(+match[1]) : "";
    if (typeof picker.showPicker === "function") {
      try {
        picker.showPicker();
        return;
      } catch (error) {
        // Not allowed here (some embedded browsers): fall back to focusing the text box.
      }
    }
    input.focus();
  });
  picker.addEventListener("change", function () {
    var parts = picker.value.split("-");
    if (parts.length === 3) {
      input.value = parts[2] + "/" + parts[1] + "/" + parts[0];
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
}

function addDatePickers() {
  document.querySelectorAll("input.js-date").forEach(addDatePicker);
}
onReady(addDatePickers);

// "Tick all": a box with data-check-all="name" ticks or clears the boxes of that name in its
// form. It is hidden (class js-only) until this script runs, as it does nothing without it.
document.addEventListener("change", function (event) {
  var all = event.target.closest("input[data-check-all]");
  if (!all || !all.form) {
    return;
  }
  all.form.querySelectorAll("input[type=checkbox][name='" + all.dataset.checkAll + "']")
    .forEach(function (box) { box.checked = all.checked; });
});

function showScriptOnlyControls() {
  document.querySelectorAll(".js-only[hidden]").forEach(function (element) {
    element.hidden = false;
  });
}
onReady(showScriptOnlyControls);

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

// Long explanations (how each score is computed) sit in <details open data-fold-narrow>: open
// on a wide screen, folded on a phone, where they would make a page many screens long. Without
// this script they stay open.
var narrowScreen = window.matchMedia ? window.matchMedia("(max-width: 767.98px)") : null;
function foldForScreen() {
  if (!narrowScreen) {
    return;
  }
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
    details.open = !narrowScreen.matches;
  });
}
if (narrowScreen) {
  onReady(foldForScreen);
  if (typeof narrowScreen.addEventListener === "function") {
    narrowScreen.addEventListener("change", foldForScreen);
  }
}

// The Khen thưởng section's rows scroll sideways on a phone: show the current group and page
// rather than leaving them past the right edge.
document.querySelectorAll(".awards-nav .nav .active").forEach(function (link) {
  var row = link.closest(".nav");
  if (row.scrollWidth > row.clientWidth) {
    var offset = link.getBoundingClientRect().left - row.getBoundingClientRect().left;
    row.scrollLeft += offset - (row.clientWidth - link.offsetWidth) / 2;
  }
});

// File boxes: a browser draws <input type="file"> in its own language ("Choose File", "No file
// chosen" in an English one). Each gets a button and a line in the page's language instead
// (data-file-choose / data-file-none on <body>); the input stays in the form, out of sight but
// focusable, and still takes the file: the button is its <label>, so a click opens the browser's
// own file dialog, and Space on the focused input does too. Without this script the browser's
// box shows as it is.
function addFilePicker(input) {
  if (input.dataset.picker) {
    return;
  }
  input.dataset.picker = "1";
  if (!input.id) {
    input.id = "file-" + Math.random().toString(36).slice(2);
  }
  var labels = document.body.dataset;
  var group = document.createElement("div");
  group.className = "input-group file-pick" +
    (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
  var button = document.createElement("label");
  button.className = "btn btn-outline-secondary file-pick-button";
  button.htmlFor = input.id;
  button.textContent = labels.fileChoose || "Choose a file";
  var chosen = document.createElement("span");
  chosen.className = "form-control file-pick-name text-truncate";
  chosen.setAttribute("aria-live", "polite");
  input.parentNode.insertBefore(group, input);
  group.appendChild(input);
  group.appendChild(button);
  group.appendChild(chosen);
  input.classList.add("file-pick-input");
  function show() {
    var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    chosen.textContent = names.length ? names.join(", ") : (labels.fileNone || "No file chosen");
    chosen.title = names.join(", ");
    chosen.classList.toggle("text-muted", !names.length);
  }
  input.addEventListener("change", show);
  if (input.form) {
    input.form.addEventListener("reset", function () { setTimeout(show, 0); });
  }
  show();
}

function addFilePickers() {
  document.querySelectorAll('input[type="file"]').forEach(addFilePicker);
}
onReady(addFilePickers);

// The browser's own checks (a required box left empty, an e-mail without "@") speak the page's
// language: an English browser's bubble says "Please fill out this field.". The server checks
// everything again and says what to fix in its own words; this only keeps the first word of
// the browser's check in Vietnamese. `invalid` does not bubble: listened to while capturing.
function browserCheckMessage(field) {
  var labels = document.body.dataset;
  var validity = field.validity;
  if (validity.valueMissing) {
    if (field.type === "file") {
      return labels.checkFile;
    }
    if (field.tagName === "SELECT" || field.type === "radio") {
      return labels.checkChoose;
    }
    return field.type === "checkbox" ? labels.checkTick : labels.checkFill;
  }
  if (validity.typeMismatch && field.type === "email") {
    return labels.checkEmail;
  }
  return labels.checkValue;
}
document.addEventListener("invalid", function (event) {
  var field = event.target;
  if (typeof field.setCustomValidity !== "function" || field.validity.customError) {
    return;
  }
  var message = browserCheckMessage(field);
  if (message) {
    field.setCustomValidity(message);
  }
}, true);
["input", "change"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    if (typeof event.target.setCustomValidity === "function") {
      event.target.setCustomValidity("");
    }
  }, true);
});
