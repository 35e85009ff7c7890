/* "Get alerts on this phone": registers the service worker, subscribes to
   pushes with the service's VAPID public key and sends the subscription
   (endpoint and keys) to the API, which queues a verification code to it.
   Everything it needs is on the button's data- attributes (no inline script). */
(function () {
  var button = document.getElementById("push-subscribe");
  var status = document.getElementById("push-status");
  if (!button || !status) {
    return;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = button.dataset.unsupported;
    return;
  }
  button.hidden = false;
  if (button.form) {
    button.form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function csrfToken() {
    var field = button.form && button.form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "";
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          throw new Error(button.dataset.denied);
        }
        return navigator.serviceWorker.register(button.dataset.worker, { scope: "/" });
      })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.getSubscription().then(function (existing) {
          return existing || registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(button.dataset.key)
          });
        });
      })
      .then(function (subscription) {
        var json = subscription.toJSON();
        var label = document.getElementById("push-label");
        return fetch(button.dataset.endpoint, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({
            channel: "push",
            address: json.endpoint,
            keys: json.keys,
            label: label ? label.value : ""
          })
        });
      })
      .then(function (response) {
        if (response.ok) {
          window.location.reload();
          return null;
        }
        return response.json().then(function (body) {
          throw new Error(body.detail || button.dataset.failed);
        });
      })
      .catch(function (error) {
        status.textContent = (error && error.message) || button.dataset.failed;
        button.disabled = false;
      });
  });
})();
