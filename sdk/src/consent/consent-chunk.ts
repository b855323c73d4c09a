/** The lazily loaded consent chunk (`/sdk/<version>/sluice-consent.js`): CMP readers and the consent gate. */
export { createConsentGate, startCmpReaders } from '@sluice/consent/browser';
