/* A slider sends its value only after it is touched: an untouched ESAS item is
   "not answered", never a silent zero. Also prevents a double submit. */
document.querySelectorAll("[data-scale] input[type=range]").forEach(function (slider) {
  var output = document.getElementById(slider.id + "_value");
  slider.addEventListener("input", function () {
    slider.name = slider.dataset.name;
    output.textContent = slider.value;
  });
});
document.querySelectorAll("form[data-once]").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});
