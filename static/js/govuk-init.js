// Initialise GOV.UK Frontend components. Loaded as <script type="module" src="...">
// (no inline scripts under our CSP). Modules only run in browsers that
// govuk-frontend supports, matching the `govuk-frontend-supported` body class.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
