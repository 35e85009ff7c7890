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

/* --- Confirmations (truth, issue 20) -------------------------------------------------
   A submit button (or form) with data-confirm="question" asks in a native <dialog>
   before the form is sent; "Yes" sends it with confirmed=yes. Without JavaScript,
   or without <dialog>, the server shows its own confirmation page instead
   (hearth.core.web.confirmation_page), so nothing depends on this block. */
(function () {
  if (typeof HTMLDialogElement !== "function") return;
  function ask(question, yesLabel, noLabel, onYes) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirmation";
    dialog.setAttribute("aria-labelledby", "confirmation-dialog-question");
    var text = document.createElement("p");
    text.id = "confirmation-dialog-question";
    text.textContent = question;
    var actions = document.createElement("div");
    actions.className = "actions";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger";
    yes.textContent = yesLabel;
    var back = document.createElement("button");
    back.type = "button";
    back.className = "secondary";
    back.textContent = noLabel;
    actions.appendChild(yes);
    actions.appendChild(back);
    dialog.appendChild(text);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    function close() { dialog.close(); dialog.remove(); }
    yes.addEventListener("click", function () { close(); onYes(); });
    back.addEventListener("click", close);
    dialog.addEventListener("cancel", function () { dialog.remove(); });
    dialog.showModal();
    back.focus();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var source = event.submitter && event.submitter.hasAttribute("data-confirm") ? event.submitter : form;
    var question = source.getAttribute("data-confirm");
    if (!question || form.querySelector('input[name="confirmed"][value="yes"]')) return;
    event.preventDefault();
    var yesLabel = source.getAttribute("data-confirm-yes") || question;
    ask(question, yesLabel, source.getAttribute("data-confirm-no") || "←", function () {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirmed";
      field.value = "yes";
      form.appendChild(field);
      form.submit();
    });
  });
})();
