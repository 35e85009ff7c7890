/* Behaviour every page shares, in a file because the Content-Security-Policy
   allows no inline script or event handler. Every page works without it:
   this only makes the same things quicker or easier to find. */

/* A <select data-submit-on-change> sends its form as soon as a choice is made
   (the language switch, list filters); without JavaScript the form's own
   button inside <noscript> does the same. */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});

/* What just happened comes first: the first refusal or message at the top of
   <main> ([data-notice], base.html) takes the focus when the page opens, so a
   screen reader reads it and a phone shows it, even when the field it names is
   further down. */
document.addEventListener("DOMContentLoaded", function () {
  var notice = document.querySelector("main [data-notice]");
  if (notice) {
    notice.focus();
    notice.scrollIntoView({ block: "start" });
  }
});

/* The menu (<details data-menu>) opens and closes by itself without
   JavaScript; here it also closes on Escape (the focus goes back to its
   button) and when the person taps or tabs somewhere else on the page. */
(function () {
  function openMenus() {
    return document.querySelectorAll("details[data-menu][open]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      var button = menu.querySelector("summary");
      if (button && menu.contains(document.activeElement)) button.focus();
    });
  });
  function closeOutside(event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);
})();

/* The open-alerts badge in the menu ([data-alert-count]) refreshes itself
   every data-refresh-seconds from a small fragment, while the page is in
   view. The request says it is a background refresh, so it writes nothing and
   does not keep an idle session alive; when the session has ended (401) the
   page goes to the sign-in page rather than keep a record on screen. A
   change is read out once, politely, by [data-alert-count-news]. */
(function () {
  var timer = null;
  function badge() {
    return document.querySelector("[data-alert-count]");
  }
  function refresh() {
    var current = badge();
    if (!current || document.hidden) return;
    fetch(current.getAttribute("data-refresh-url"), {
      credentials: "same-origin",
      headers: { "X-Hearth-Background": "refresh" },
      redirect: "manual",
    })
      .then(function (response) {
        if (response.status === 401) {
          var here = window.location.pathname + window.location.search;
          window.location.assign(current.getAttribute("data-sign-in-url") + "?next=" + encodeURIComponent(here));
          return null;
        }
        return response.ok && response.status === 200 ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.querySelector("[data-alert-count]");
        var shown = badge();
        if (!fresh || !shown) return;
        var changed = fresh.getAttribute("data-alert-count") !== shown.getAttribute("data-alert-count");
        shown.replaceWith(fresh);
        var news = document.querySelector("[data-alert-count-news]");
        if (changed && news) news.textContent = fresh.getAttribute("data-announce");
      })
      .catch(function () {
        /* Offline or the server is away: keep the last count; try again later. */
      });
  }
  function start() {
    var current = badge();
    if (!current || timer !== null || !window.fetch) return;
    var seconds = parseInt(current.getAttribute("data-refresh-seconds"), 10) || 60;
    timer = window.setInterval(refresh, seconds * 1000);
  }
  document.addEventListener("DOMContentLoaded", start);
  /* Back to the page after a while in another app: bring the count up to date now. */
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refresh();
  });
})();

/* Lists that refresh themselves with htmx (hx-trigger="every …", marked
   data-background-refresh: the alert list, the dispatch board, the family's
   help status) are the page, not the person: their polls say so, like the
   badge above, so a tablet left open on the alert list still signs out when
   idle. Only the polling element's own requests are marked; a button inside
   it is the person. When the session has ended the poll gets a 401 and the
   page reloads, which takes it to the sign-in page instead of leaving the
   list on screen. */
(function () {
  function isPoll(source) {
    return Boolean(source && source.hasAttribute && source.hasAttribute("data-background-refresh"));
  }
  document.addEventListener("htmx:configRequest", function (event) {
    if (isPoll(event.detail.elt)) event.detail.headers["X-Hearth-Background"] = "refresh";
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (isPoll(event.detail.elt) && event.detail.xhr && event.detail.xhr.status === 401) {
      window.location.reload();
    }
  });
})();

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
