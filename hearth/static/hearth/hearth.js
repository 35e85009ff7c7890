/* Behaviour every page shares, in a file because the Content-Security-Policy
   allows no inline script or event handler.
   A <select data-submit-on-change> sends its form as soon as a choice is made
   (the language switch, list filters); without JavaScript the form's own
   button inside <noscript> does the same. */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
