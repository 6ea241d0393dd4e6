// LTI Dynamic Registration: tell the learning platform's window that the tool is
// registered and this window or frame may close (org.imsglobal.lti.close).
(function () {
  "use strict";
  function close() {
    var target = window.opener || (window.parent !== window ? window.parent : null);
    if (target) {
      target.postMessage({subject: "org.imsglobal.lti.close"}, "*");
    }
  }
  var button = document.querySelector("[data-lti-close]");
  if (button) {
    button.addEventListener("click", close);
  }
  close();
})();
