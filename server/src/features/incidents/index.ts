// Incidents feature: problem reports, "moi aussi", the caretaker's triage and the fix check.
export { default } from './routes.js'
