// Flats feature: the building's households and the invitations that let them in.
export { default } from './routes.js'
