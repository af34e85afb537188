// Notice board feature: what is going on in the building, from the caretaker, the landlord and
// (if the caretaker allows it) the residents.
export { default } from './routes.js'
