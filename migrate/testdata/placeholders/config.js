// config.example.js, copied to config.js, only partly edited.
window.config = {
  clientId: "@CLIENT_ID@",
  redirectUri: "@REDIRECT_URI@",
  integrationCode: "ROOT_GENESYS_INTEGRATION",
  domainCode: "DCM_Sandbox.tenant7",
  solutionUrl: "https://sj-test.contoso.com",
  genesysIntegrationUrl: "@GENESYS_INTEGRATION_URL@",
  wizardUrl: "@WIZARD_URL@"
};
