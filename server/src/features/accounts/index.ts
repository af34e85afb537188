// Accounts feature: who may enter the building's intranet, and how.
export { default } from './routes.js'
export { pendingSetupCode } from './setup.js'
