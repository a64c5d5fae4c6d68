// i18n.js: the text shared by all pages, in the four languages the connector
// ships. Each page adds its own keys from assets/text-<page>.js with
// DCMAddText. A missing key falls back to en-us.
window.DCMText = {
  "en-us": {
    "app.name": "ServiceJourney Connector",
    "agent.title": "ServiceJourney",
    "supervisor.title": "Connector overview",
    "wizard.title": "Connector setup",
    "state.connecting": "Connecting…",
    "state.signingIn": "Signing in to Genesys Cloud…",
    "state.connected": "Connected as {name}",
    "config.missing": "The connector's configuration did not load. Ask your administrator to run 'dcmconnect check-config'.",
    "config.envMismatch": "Genesys Cloud opened this page for {page}, but the connector is set up for {server}.",
    "auth.refused": "Genesys Cloud refused the sign-in: {reason}",
    "auth.state": "The sign-in answer did not match the request. Reload the page to sign in again.",
    "auth.exchange": "Could not complete the sign-in: {reason}",
    "error.401": "Your Genesys Cloud session has ended. Reload the page to sign in again.",
    "error.403": "You are not allowed to do this: {detail}",
    "error.502": "ServiceJourney or Genesys Cloud answered with an error: {detail}",
    "error.503": "A connected system is unavailable right now. Try again in a minute. ({detail})",
    "error.504": "A connected system did not answer in time. Try again in a minute. ({detail})",
    "agent.waiting": "Waiting for an interaction.",
    "supervisor.intro": "Who the connector can serve, and whether interactions reach ServiceJourney.",
    "wizard.intro": "Checks every installation step and sets up the Genesys Cloud side."
  },
  "de-de": {
    "app.name": "ServiceJourney-Connector",
    "agent.title": "ServiceJourney",
    "supervisor.title": "Connector-Übersicht",
    "wizard.title": "Connector einrichten",
    "state.connecting": "Verbindung wird hergestellt…",
    "state.signingIn": "Anmeldung bei Genesys Cloud…",
    "state.connected": "Verbunden als {name}",
    "config.missing": "Die Konfiguration des Connectors wurde nicht geladen. Bitten Sie Ihren Administrator, 'dcmconnect check-config' auszuführen.",
    "config.envMismatch": "Genesys Cloud hat diese Seite für {page} geöffnet, der Connector ist aber für {server} eingerichtet.",
    "auth.refused": "Genesys Cloud hat die Anmeldung abgelehnt: {reason}",
    "auth.state": "Die Antwort der Anmeldung passt nicht zur Anfrage. Laden Sie die Seite neu, um sich erneut anzumelden.",
    "auth.exchange": "Die Anmeldung konnte nicht abgeschlossen werden: {reason}",
    "error.401": "Ihre Genesys-Cloud-Sitzung ist abgelaufen. Laden Sie die Seite neu, um sich erneut anzumelden.",
    "error.403": "Dazu sind Sie nicht berechtigt: {detail}",
    "error.502": "ServiceJourney oder Genesys Cloud hat mit einem Fehler geantwortet: {detail}",
    "error.503": "Ein angebundenes System ist gerade nicht erreichbar. Versuchen Sie es in einer Minute erneut. ({detail})",
    "error.504": "Ein angebundenes System hat nicht rechtzeitig geantwortet. Versuchen Sie es in einer Minute erneut. ({detail})",
    "agent.waiting": "Warte auf eine Interaktion.",
    "supervisor.intro": "Wen der Connector bedienen kann und ob Interaktionen in ServiceJourney ankommen.",
    "wizard.intro": "Prüft jeden Installationsschritt und richtet die Genesys-Cloud-Seite ein."
  },
  "fr-fr": {
    "app.name": "Connecteur ServiceJourney",
    "agent.title": "ServiceJourney",
    "supervisor.title": "Vue d'ensemble du connecteur",
    "wizard.title": "Installation du connecteur",
    "state.connecting": "Connexion…",
    "state.signingIn": "Connexion à Genesys Cloud…",
    "state.connected": "Connecté en tant que {name}",
    "config.missing": "La configuration du connecteur n'a pas été chargée. Demandez à votre administrateur d'exécuter « dcmconnect check-config ».",
    "config.envMismatch": "Genesys Cloud a ouvert cette page pour {page}, mais le connecteur est configuré pour {server}.",
    "auth.refused": "Genesys Cloud a refusé la connexion : {reason}",
    "auth.state": "La réponse de connexion ne correspond pas à la demande. Rechargez la page pour vous reconnecter.",
    "auth.exchange": "La connexion n'a pas pu aboutir : {reason}",
    "error.401": "Votre session Genesys Cloud a expiré. Rechargez la page pour vous reconnecter.",
    "error.403": "Vous n'êtes pas autorisé à faire cela : {detail}",
    "error.502": "ServiceJourney ou Genesys Cloud a répondu par une erreur : {detail}",
    "error.503": "Un système connecté est indisponible pour le moment. Réessayez dans une minute. ({detail})",
    "error.504": "Un système connecté n'a pas répondu à temps. Réessayez dans une minute. ({detail})",
    "agent.waiting": "En attente d'une interaction.",
    "supervisor.intro": "Qui le connecteur peut servir, et si les interactions arrivent dans ServiceJourney.",
    "wizard.intro": "Vérifie chaque étape d'installation et configure le côté Genesys Cloud."
  },
  "es-es": {
    "app.name": "Conector de ServiceJourney",
    "agent.title": "ServiceJourney",
    "supervisor.title": "Resumen del conector",
    "wizard.title": "Configuración del conector",
    "state.connecting": "Conectando…",
    "state.signingIn": "Iniciando sesión en Genesys Cloud…",
    "state.connected": "Conectado como {name}",
    "config.missing": "No se cargó la configuración del conector. Pida a su administrador que ejecute 'dcmconnect check-config'.",
    "config.envMismatch": "Genesys Cloud abrió esta página para {page}, pero el conector está configurado para {server}.",
    "auth.refused": "Genesys Cloud rechazó el inicio de sesión: {reason}",
    "auth.state": "La respuesta del inicio de sesión no coincide con la solicitud. Recargue la página para iniciar sesión de nuevo.",
    "auth.exchange": "No se pudo completar el inicio de sesión: {reason}",
    "error.401": "Su sesión de Genesys Cloud ha terminado. Recargue la página para iniciar sesión de nuevo.",
    "error.403": "No tiene permiso para hacer esto: {detail}",
    "error.502": "ServiceJourney o Genesys Cloud respondió con un error: {detail}",
    "error.503": "Un sistema conectado no está disponible ahora. Inténtelo de nuevo en un minuto. ({detail})",
    "error.504": "Un sistema conectado no respondió a tiempo. Inténtelo de nuevo en un minuto. ({detail})",
    "agent.waiting": "Esperando una interacción.",
    "supervisor.intro": "A quién puede atender el conector y si las interacciones llegan a ServiceJourney.",
    "wizard.intro": "Comprueba cada paso de la instalación y configura la parte de Genesys Cloud."
  }
};
window.DCMAddText = function (tables) {
  Object.keys(tables).forEach(function (lang) {
    var t = window.DCMText[lang] || (window.DCMText[lang] = {});
    Object.keys(tables[lang]).forEach(function (k) { t[k] = tables[lang][k]; });
  });
};
