/* A slider sends its value only after it is touched: an untouched ESAS item is
   "not answered", never a silent zero. A second tap on a slow connection does
   not send the form twice (the server's idempotency key is the real guard). */
document.querySelectorAll("[data-scale] input[type=range]").forEach(function (slider) {
  var output = document.getElementById(slider.id + "_value");
  slider.addEventListener("input", function () {
    slider.name = slider.dataset.name;
    output.textContent = slider.value;
  });
});
document.querySelectorAll("form[data-once]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
});
