// Load synchronously as the first element inside <body> (classic script, not a module).
// Replaces GOV.UK's inline template script, which our CSP forbids.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
