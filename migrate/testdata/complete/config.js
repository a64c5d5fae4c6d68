/*
 * DCM Connector for Genesys Cloud - page configuration.
 * Copied from config.example.js; the @...@ placeholders were replaced in
 * install step 8. Do not use "//" style URLs here: http://example.invalid
 */
// clientId: 'commented-out-old-value',
var config = {
    // "Token Implicit Grant (Browser)" client from install step 6
    clientId: '7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
    redirectUri: 'https://sj.contoso.com/dcm-connect-docs/',
    integrationCode: "ROOT_GENESYS_INTEGRATION",
    domainCode: 'DCM_Production.tenant12',
    solutionUrl: 'https://sj.contoso.com',
    genesysIntegrationUrl: 'https://sj.contoso.com/dcm-connect-service/DCMServices.asmx/',
    wizardUrl: 'https://sj.contoso.com/dcm-connect-docs/wizard/index.html?response_type=token&state=pcEnvironment=mypurecloud.ie',

    appName: 'ServiceJourney for Genesys Cloud',
    'defaultLanguage': 'en-us',
    debug: false,
    pollIntervalMs: 5000,
    scopes: ['conversations', 'users:readonly', { nested: 'x' }],
    pages: {
        agent: 'index.html',
        supervisor: 'supervisor.html'
    },
    helpUrl: window.location.origin + '/dcm-connect-docs/help.html'
};

config.premiumAppName = 'Eccentex ServiceJourney';
window.config = config;
