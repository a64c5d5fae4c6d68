// agent.js: the agent page. Start-up (config, sign-in, WhoAmI) is shared in dcm.js.
(function () {
  "use strict";
  DCM.start().catch(function () { /* dcm.js already shows the reason */ });
})();
